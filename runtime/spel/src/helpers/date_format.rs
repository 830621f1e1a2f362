//! `#DATE_FORMAT` helper (spel.md §13.6) and the `DateTimeFormatter` object.

use crate::methods::MethodDef;
use crate::value::Str;

/// A `java.time.format.DateTimeFormatter` built from a pattern.
#[derive(Clone, Debug, PartialEq)]
pub struct Formatter {
    pub pattern: Str,
    pub locale: Str,
    pub lenient: bool,
}

pub static METHODS: &[MethodDef] = &[];
