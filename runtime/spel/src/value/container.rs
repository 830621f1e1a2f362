//! Lists and maps, with what bounds their cost: each remembers its size (the whole tree in
//! bytes, a part shared several times counted each time) and its depth, computed once when it
//! is built from its direct children. So a value's size is known in O(1), however it was made
//! (`{#x, #x}` doubles the size of `#x` while allocating two slots), and encoding it as JSON or
//! text, hashing or comparing it costs at most what [`Limits::max_value_bytes`] allows.
//!
//! Dropping a deep value does not recurse (see the `Drop` impls): a value nested more deeply
//! than the stack could follow is still freed.
//!
//! [`Limits::max_value_bytes`]: crate::limits::Limits::max_value_bytes

use std::ops::Deref;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering::Relaxed};

use super::{Value, ValueMap};

/// What one slot of a value costs (`size_of::<Value>()`), the unit sizes are counted in.
pub const SLOT_BYTES: u64 = std::mem::size_of::<Value>() as u64;
/// A vector's or a map's own bookkeeping.
const CONTAINER_BYTES: u64 = 32;
/// Per map entry besides key and value: the index's hash and slot.
const ENTRY_BYTES: u64 = 16;
/// Values nested less deeply than this are dropped by plain recursion.
const RECURSIVE_DROP_DEPTH: u32 = 64;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Meta {
    size: u64,
    depth: u32,
}

/// A list value (also Java arrays and sets).
#[derive(Clone, Default)]
pub struct List {
    items: Vec<Value>,
    meta: Meta,
}

/// A map value (also records). Its size and depth are worked out when first asked for and
/// kept: most maps are records that are only read and written out (a response), whose size the
/// encoder bounds as it goes; maps an evaluation makes are checked, which works them out.
pub struct Map {
    entries: ValueMap,
    /// `UNKNOWN` until worked out.
    size: AtomicU64,
    depth: AtomicU32,
}

const UNKNOWN: u64 = u64::MAX;

impl Clone for Map {
    fn clone(&self) -> Self {
        Map {
            entries: self.entries.clone(),
            size: AtomicU64::new(self.size.load(Relaxed)),
            depth: AtomicU32::new(self.depth.load(Relaxed)),
        }
    }
}

impl List {
    pub fn new(items: Vec<Value>) -> List {
        let mut size = SLOT_BYTES + CONTAINER_BYTES;
        let mut depth = 0;
        for v in &items {
            let (s, d) = v.meta();
            size = size.saturating_add(s);
            depth = depth.max(d);
        }
        List {
            items,
            meta: Meta {
                size,
                depth: depth.saturating_add(1),
            },
        }
    }

    pub fn size(&self) -> u64 {
        self.meta.size
    }

    pub fn depth(&self) -> u32 {
        self.meta.depth
    }

    /// What this list itself allocated (its slots), not counting its elements' contents.
    pub fn shallow_size(&self) -> u64 {
        CONTAINER_BYTES + SLOT_BYTES.saturating_mul(self.items.len() as u64)
    }
}

impl Map {
    pub fn new(entries: ValueMap) -> Map {
        Map {
            entries,
            size: AtomicU64::new(UNKNOWN),
            depth: AtomicU32::new(0),
        }
    }

    /// Size and depth, worked out once (recursion goes only as deep as maps not asked before,
    /// on a stack that grows on demand).
    #[inline]
    fn meta(&self) -> (u64, u32) {
        let size = self.size.load(Relaxed);
        if size != UNKNOWN {
            return (size, self.depth.load(Relaxed));
        }
        self.work_out()
    }

    #[cold]
    fn work_out(&self) -> (u64, u32) {
        super::with_stack(|| {
            let mut size = SLOT_BYTES + CONTAINER_BYTES;
            let mut depth = 0;
            for (k, v) in &self.entries {
                let (ks, kd) = k.meta();
                let (vs, vd) = v.meta();
                size = size
                    .saturating_add(ENTRY_BYTES + ks)
                    .saturating_add(vs)
                    .min(UNKNOWN - 1);
                depth = depth.max(kd).max(vd);
            }
            let depth = depth.saturating_add(1);
            self.depth.store(depth, Relaxed);
            self.size.store(size, Relaxed);
            (size, depth)
        })
    }

    pub fn size(&self) -> u64 {
        self.meta().0
    }

    pub fn depth(&self) -> u32 {
        self.meta().1
    }

    pub fn shallow_size(&self) -> u64 {
        CONTAINER_BYTES + (2 * SLOT_BYTES + ENTRY_BYTES).saturating_mul(self.entries.len() as u64)
    }
}

impl Deref for List {
    type Target = Vec<Value>;
    fn deref(&self) -> &Vec<Value> {
        &self.items
    }
}

impl Deref for Map {
    type Target = ValueMap;
    fn deref(&self) -> &ValueMap {
        &self.entries
    }
}

impl PartialEq for List {
    fn eq(&self, other: &Self) -> bool {
        self.items == other.items
    }
}

impl std::fmt::Debug for List {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.items.fmt(f)
    }
}

impl std::fmt::Debug for Map {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.entries.fmt(f)
    }
}

/// Frees the children of a deep value with a work list instead of recursion.
fn drop_iteratively(mut pending: Vec<Value>) {
    while let Some(v) = pending.pop() {
        match v {
            Value::List(l) => {
                if let Some(mut l) = std::sync::Arc::into_inner(l) {
                    pending.append(&mut l.items);
                }
            }
            Value::Map(m) => {
                if let Some(mut m) = std::sync::Arc::into_inner(m) {
                    for (k, v) in m.entries.drain(..) {
                        pending.push(k);
                        pending.push(v);
                    }
                }
            }
            _ => {}
        }
    }
}

impl Drop for List {
    fn drop(&mut self) {
        if self.meta.depth >= RECURSIVE_DROP_DEPTH {
            drop_iteratively(std::mem::take(&mut self.items));
        }
    }
}

impl Drop for Map {
    fn drop(&mut self) {
        // A map whose size was never worked out was built from checked parts (a sink's record)
        // or decoded from JSON (at most 128 levels): never deep enough to matter. Every map an
        // evaluation makes is checked, which works its depth out.
        let deep =
            self.size.load(Relaxed) != UNKNOWN && self.depth.load(Relaxed) >= RECURSIVE_DROP_DEPTH;
        if deep {
            let mut pending = Vec::with_capacity(self.entries.len() * 2);
            for (k, v) in self.entries.drain(..) {
                pending.push(k);
                pending.push(v);
            }
            drop_iteratively(pending);
        }
    }
}

impl Value {
    /// Size and depth together: what building a container reads of each child. Ordered for the
    /// common children (scalars, short strings), which cost a tag test or two.
    #[inline(always)]
    fn meta(&self) -> (u64, u32) {
        if let Value::Str(s) = self {
            if !s.is_heap_allocated() {
                return (SLOT_BYTES, 0);
            }
            return (SLOT_BYTES + s.len() as u64, 0);
        }
        match self {
            Value::List(l) => (l.meta.size, l.meta.depth),
            Value::Map(m) => m.meta(),
            Value::BigInt(_) | Value::BigDec(_) | Value::Obj(_) => (self.size(), 0),
            _ => (SLOT_BYTES, 0),
        }
    }

    /// The value's size in bytes as [`Limits::max_value_bytes`] counts it: the whole tree, a
    /// part shared several times counted each time. O(1).
    ///
    /// [`Limits::max_value_bytes`]: crate::limits::Limits::max_value_bytes
    #[inline]
    pub fn size(&self) -> u64 {
        match self {
            Value::Str(s) if s.is_heap_allocated() => SLOT_BYTES + s.len() as u64,
            Value::List(l) => l.meta.size,
            Value::Map(m) => m.size(),
            Value::BigInt(b) => SLOT_BYTES + 16 + b.bits() / 8,
            // The unscaled integer's bits: O(1), unlike counting decimal digits.
            Value::BigDec(d) => SLOT_BYTES + 24 + d.as_bigint_and_scale().0.bits() / 8,
            Value::Obj(_) => SLOT_BYTES + 64,
            _ => SLOT_BYTES,
        }
    }

    /// Nesting depth of lists and maps: 0 for scalars. O(1).
    #[inline]
    pub fn depth(&self) -> u32 {
        match self {
            Value::List(l) => l.meta.depth,
            Value::Map(m) => m.depth(),
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_count_shared_parts_each_time() {
        let leaf = Value::str("x".repeat(100));
        let mut v = Value::list(vec![leaf]);
        let one = v.size();
        for _ in 0..30 {
            v = Value::list(vec![v.clone(), v]);
        }
        // 2^30 copies of the leaf, as JSON would write them, in 31 allocations.
        assert!(v.size() > one * (1 << 29));
        assert_eq!(v.depth(), 31);
    }

    #[test]
    fn a_very_deep_value_drops_without_overflowing_the_stack() {
        let mut v = Value::Null;
        for i in 0..1_000_000 {
            v = if i % 2 == 0 {
                Value::list(vec![v])
            } else {
                let mut m = Value::new_map();
                m.insert(Value::from("k"), v);
                Value::map(m)
            };
        }
        assert_eq!(v.depth(), 1_000_000);
        drop(v);
    }
}
