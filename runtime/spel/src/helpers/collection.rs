//! `#COLLECTION` helper (spel.md §13).

use crate::methods::MethodDef;

pub static METHODS: &[MethodDef] = &[];
