//! HTTP handlers, one file per resource.

pub mod body;
pub mod definition;
pub mod dispatch;
pub mod health;
pub mod invoke;
pub mod swagger;
