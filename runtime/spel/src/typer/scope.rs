use std::collections::HashMap;

use crate::types::Type;
use crate::value::Str;

/// The variables an expression may read, each with its static type and its slot in the value
/// array passed to `Expression::eval`.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    names: Vec<Str>,
    types: Vec<Type>,
    index: HashMap<Str, usize>,
    helpers: bool,
}

impl Scope {
    pub fn new() -> Scope {
        Scope::default()
    }

    /// A scope with the global helpers (`#DATE`, `#CONV`, ...) visible.
    pub fn with_helpers() -> Scope {
        Scope {
            helpers: true,
            ..Scope::default()
        }
    }

    pub fn set_helpers(&mut self, on: bool) {
        self.helpers = on;
    }

    pub fn helpers(&self) -> bool {
        self.helpers
    }

    /// Declares (or re-declares with a new type) a variable; returns its slot.
    pub fn declare(&mut self, name: &str, ty: Type) -> usize {
        if let Some(&i) = self.index.get(name) {
            self.types[i] = ty;
            return i;
        }
        let i = self.names.len();
        self.names.push(Str::new(name));
        self.types.push(ty);
        self.index.insert(Str::new(name), i);
        i
    }

    pub fn slot(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    pub fn get(&self, name: &str) -> Option<(usize, &Type)> {
        self.index.get(name).map(|&i| (i, &self.types[i]))
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    pub fn names(&self) -> &[Str] {
        &self.names
    }
}
