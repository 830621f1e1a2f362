//! What flows along the graph: a context (the variables by slot), the index of the next node
//! and the counters each node bumps.

use scenic_spel::Value;

use super::counter::ShardedCounter;

/// A context: the values of the scenario's variables, by slot.
pub type Ctx = Vec<Value>;

/// Index of the next node; `None` is a dead end.
pub type Next = Option<usize>;

/// Per-node counters, read by the metrics exporters. Shared (`Arc`) so that a redeploy of the
/// same scenario keeps counting where the previous version stopped.
#[derive(Debug, Default)]
pub struct NodeCounters {
    /// Contexts that entered the node.
    pub entered: ShardedCounter,
    /// Contexts that ended here (sink, ending processor).
    pub ended: ShardedCounter,
    /// Contexts dropped here (filter or choice with no way on).
    pub dead_ended: ShardedCounter,
    /// Errors raised by the node.
    pub errors: ShardedCounter,
}

/// Writes a slot; contexts are sized for every slot, so a miss is a bug that must not panic.
pub(crate) fn set(ctx: &mut Ctx, slot: usize, v: Value) {
    if ctx.len() <= slot {
        ctx.resize(slot + 1, Value::Null);
    }
    ctx[slot] = v;
}
