use crate::types::Type;
use crate::value::{Str, Value};

/// The variables an expression may read, each with its static type and its slot in the value
/// array passed to `Expression::eval`.
///
/// Persistent maps: cloning a scope is O(1) and declaring is O(log n), so a compiler that keeps
/// one scope per point of a scenario (each node sees the variables declared before it) stays
/// linear in the scenario's size.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    vars: imbl::HashMap<Str, (usize, Type)>,
    slots: usize,
    helpers: bool,
    consts: imbl::HashMap<Str, Value>,
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

    /// Declares (or re-declares with a new type) a variable in the next free slot; returns the
    /// slot.
    pub fn declare(&mut self, name: &str, ty: Type) -> usize {
        if let Some((slot, t)) = self.vars.get_mut(name) {
            *t = ty;
            return *slot;
        }
        let slot = self.slots;
        self.declare_at(name, ty, slot);
        slot
    }

    /// Declares a variable in a given slot (scenarios lay out their variables themselves).
    pub fn declare_at(&mut self, name: &str, ty: Type, slot: usize) {
        self.vars.insert(Str::new(name), (slot, ty));
        self.slots = self.slots.max(slot + 1);
    }

    /// Declares a variable whose value is known at compile time (`#meta`): expressions read it
    /// as a constant, with no slot.
    pub fn declare_const(&mut self, name: &str, value: Value) {
        self.consts.insert(Str::new(name), value);
    }

    pub fn constant(&self, name: &str) -> Option<&Value> {
        self.consts.get(name)
    }

    pub fn slot(&self, name: &str) -> Option<usize> {
        self.vars.get(name).map(|(s, _)| *s)
    }

    pub fn get(&self, name: &str) -> Option<(usize, &Type)> {
        self.vars.get(name).map(|(s, t)| (*s, t))
    }

    /// Number of slots the value array needs.
    pub fn len(&self) -> usize {
        self.slots
    }

    /// Makes sure the value array is sized for `n` slots.
    pub fn reserve_slots(&mut self, n: usize) {
        self.slots = self.slots.max(n);
    }

    pub fn is_empty(&self) -> bool {
        self.vars.is_empty()
    }

    /// Declared names, in no particular order.
    pub fn names(&self) -> Vec<Str> {
        self.vars.keys().cloned().collect()
    }
}
