//! The java.time engine: the arithmetic, comparison, zone resolution, ISO parsing and rendering,
//! and the `DateTimeFormatter` of java.time, as plain Rust over the values of `value::Obj`.
//!
//! No method tables here: `methods::time` (members of the java.time classes) and
//! `helpers::date`/`helpers::date_format` (`#DATE`, `#DATE_FORMAT`) are tables that call into
//! this module. It sits on the ground floor with `value` and `types` (a value prints through
//! `text` and holds a compiled `Formatter`), so it must not import anything above them.

pub mod access;
pub mod arith;
pub mod compare;
pub mod duration;
pub mod field;
pub mod fields;
pub mod format;
pub mod iso;
pub mod period;
pub mod text;
pub mod zone;

pub(crate) use access::*;
pub(crate) use arith::*;
pub use compare::*;
pub(crate) use duration::*;
pub(crate) use field::*;
pub(crate) use fields::*;
pub use format::*;
pub use iso::*;
pub(crate) use period::*;
pub use text::*;
pub(crate) use zone::*;
