//! What flows along the graph: a context (the variables by slot), the index of the next node
//! and the counters each node bumps.

use std::sync::atomic::{AtomicU64, Ordering};

use scenic_spel::Value;

use super::counter::ShardedCounters;

/// A context: the values of the scenario's variables, by slot.
pub type Ctx = Vec<Value>;

/// Index of the next node; `None` is a dead end.
pub type Next = Option<usize>;

/// Per-node counters, read by the metrics exporters. Shared (`Arc`) so that a redeploy of the
/// same scenario keeps counting where the previous version stopped.
/// The four share one cache line per shard ([`ShardedCounters`]): one thread bumps them all.
#[derive(Debug, Default)]
pub struct NodeCounters(ShardedCounters<4>);

const ENTERED: usize = 0;
const ENDED: usize = 1;
const DEAD_ENDED: usize = 2;
const ERRORS: usize = 3;

/// A node's counts, summed over the shards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NodeCounts {
    /// Contexts that entered the node.
    pub entered: u64,
    /// Contexts that ended here (sink, ending processor).
    pub ended: u64,
    /// Contexts dropped here (filter or choice with no way on).
    pub dead_ended: u64,
    /// Errors raised by the node.
    pub errors: u64,
}

impl NodeCounters {
    /// Contexts that entered the node: the calling thread's shard, for bumping.
    pub fn entered(&self) -> &AtomicU64 {
        &self.0.local()[ENTERED]
    }
    /// Contexts that ended here (sink, ending processor).
    pub fn ended(&self) -> &AtomicU64 {
        &self.0.local()[ENDED]
    }
    /// Contexts dropped here (filter or choice with no way on).
    pub fn dead_ended(&self) -> &AtomicU64 {
        &self.0.local()[DEAD_ENDED]
    }
    /// Errors raised by the node.
    pub fn errors(&self) -> &AtomicU64 {
        &self.0.local()[ERRORS]
    }
    /// The totals, for the metrics exporters.
    pub fn counts(&self) -> NodeCounts {
        let total = |i| self.0.load(i, Ordering::Relaxed);
        NodeCounts {
            entered: total(ENTERED),
            ended: total(ENDED),
            dead_ended: total(DEAD_ENDED),
            errors: total(ERRORS),
        }
    }
}

/// Writes a slot; contexts are sized for every slot, so a miss is a bug that must not panic.
pub(crate) fn set(ctx: &mut Ctx, slot: usize, v: Value) {
    if ctx.len() <= slot {
        ctx.resize(slot + 1, Value::Null);
    }
    ctx[slot] = v;
}
