//! Whitelisted members of java.time classes (spel.md §10).

use super::MethodDef;
use crate::types::Class;

pub fn methods(_class: Class) -> &'static [MethodDef] {
    &[]
}
