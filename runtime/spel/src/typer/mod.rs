//! Typer: AST to a typed, resolved node tree (`eval::Node`), with every compile error of
//! `spel.md` §15.1 accumulated rather than stopping at the first.
//!
//! Typing and lowering happen in one walk: the typer is where names become slots, methods
//! become `MethodDef`s and constant sub-expressions become values.

mod error;
mod scope;
#[allow(clippy::module_inception)]
mod typer;

pub use error::TypeError;
pub use scope::Scope;
pub(crate) use typer::{type_expression, type_template};
