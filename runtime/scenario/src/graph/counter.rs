//! [`ShardedCounters`]: counters that many threads bump without sharing a cache line, and
//! [`ShardedCounter`], one such. They live at the bottom with the node counters they make up;
//! `metrics` reads them (and re-exports `ShardedCounter`).

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::OnceLock;

/// One shard on a cache line of its own: 128 bytes, the line pair that x86-64's adjacent-line
/// prefetcher pulls together and aarch64's line size on Apple cores (what crossbeam's
/// `CachePadded` uses there); elsewhere it is at least a line. It holds `N` counters (a node's
/// four share one line per shard: one thread bumps them all).
#[derive(Debug)]
#[repr(align(128))]
struct Shard<const N: usize>([AtomicU64; N]);

impl<const N: usize> Default for Shard<N> {
    fn default() -> Self {
        Shard(std::array::from_fn(|_| AtomicU64::new(0)))
    }
}

/// Most shards a counter set has: each costs 128 bytes (for up to 16 counters), so a
/// thousand-node scenario on a large machine keeps its node counters within 1 MiB.
const MAX_SHARDS: usize = 8;

/// Shards per counter set: the cores, rounded up to a power of two (the shard is picked by a
/// mask), at most [`MAX_SHARDS`].
fn shard_count() -> usize {
    static COUNT: OnceLock<usize> = OnceLock::new();
    *COUNT.get_or_init(|| {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .next_power_of_two()
            .min(MAX_SHARDS)
    })
}

/// The calling thread's shard number: threads take numbers in turn as they first bump a
/// counter, so the workers of a pool spread over the shards.
fn thread_shard() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local! {
        static SHARD: usize = NEXT.fetch_add(1, Ordering::Relaxed);
    }
    SHARD.with(|s| *s)
}

/// `N` monotonic counters bumped from many threads (every actix worker and the compute pool
/// run the same scenario): per shard one cache line holding the `N`, each thread bumping its
/// own shard, summed on read. A single shared atomic would bounce its line between the cores
/// on every invocation. A decrement may land on another shard than its increment (an
/// invocation resumed on another thread): shards wrap, and the wrapping sum is exact.
#[derive(Debug)]
pub struct ShardedCounters<const N: usize> {
    /// Never empty, a power of two long.
    shards: Box<[Shard<N>]>,
}

impl<const N: usize> Default for ShardedCounters<N> {
    fn default() -> Self {
        ShardedCounters::with_shards(shard_count())
    }
}

impl<const N: usize> ShardedCounters<N> {
    /// `n` shards, rounded up to a power of two (at least one).
    fn with_shards(n: usize) -> Self {
        ShardedCounters {
            shards: (0..n.max(1).next_power_of_two())
                .map(|_| Shard::default())
                .collect(),
        }
    }

    /// The calling thread's shard of the `N` counters: for bumping.
    pub fn local(&self) -> &[AtomicU64; N] {
        // In bounds: the length is a non-zero power of two, so the mask is below it.
        &self.shards[thread_shard() & (self.shards.len() - 1)].0
    }

    /// The total of counter `i` over every shard (a scrape's read: not a snapshot of one
    /// instant, as no counter read during updates is); 0 for an `i` out of range.
    pub fn load(&self, i: usize, order: Ordering) -> u64 {
        self.shards.iter().fold(0u64, |sum, s| {
            sum.wrapping_add(s.0.get(i).map_or(0, |c| c.load(order)))
        })
    }
}

/// One sharded counter (see [`ShardedCounters`]). A drop-in for an `AtomicU64`: it
/// dereferences to the calling thread's shard, so `fetch_add` and `fetch_sub` (and a
/// `&AtomicU64` parameter) work unchanged, and [`ShardedCounter::load`] (an inherent method,
/// which wins over the shard's) sums every shard.
#[derive(Debug, Default)]
pub struct ShardedCounter(ShardedCounters<1>);

impl ShardedCounter {
    pub fn new() -> ShardedCounter {
        ShardedCounter::default()
    }

    /// The total over every shard.
    pub fn load(&self, order: Ordering) -> u64 {
        self.0.load(0, order)
    }

    /// Adds `n` on the calling thread's shard.
    pub fn add(&self, n: u64) {
        self.local().fetch_add(n, Ordering::Relaxed);
    }

    fn local(&self) -> &AtomicU64 {
        let [c] = self.0.local();
        c
    }
}

impl std::ops::Deref for ShardedCounter {
    type Target = AtomicU64;

    /// The calling thread's shard: for bumping. Reading the total is [`ShardedCounter::load`].
    fn deref(&self) -> &AtomicU64 {
        self.local()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// The interpreter's way of bumping: through a `&AtomicU64`.
    fn bump(c: &AtomicU64) {
        c.fetch_add(1, Ordering::Relaxed);
    }

    #[test]
    fn concurrent_increments_sum_to_the_total() {
        const THREADS: u64 = 8;
        const EACH: u64 = 100_000;
        let c = Arc::new(ShardedCounter::new());
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let c = c.clone();
                std::thread::spawn(move || {
                    for i in 0..EACH {
                        // Both ways of bumping, and `add`.
                        match (t + i) % 3 {
                            0 => bump(&c),
                            1 => {
                                c.fetch_add(1, Ordering::Relaxed);
                            }
                            _ => c.add(1),
                        }
                    }
                })
            })
            .collect();
        for h in handles {
            assert!(h.join().is_ok(), "a bumping thread panicked");
        }
        assert_eq!(c.load(Ordering::Relaxed), THREADS * EACH);
    }

    #[test]
    fn a_decrement_on_another_thread_than_its_increment_keeps_the_total_exact() {
        let c = Arc::new(ShardedCounter::new());
        for _ in 0..5 {
            bump(&c);
        }
        // A preempted node's `entered` is taken back wherever the invocation runs next; this
        // thread's shard may hold nothing and wraps.
        let other = c.clone();
        let taken_back = std::thread::spawn(move || {
            other.fetch_sub(2, Ordering::Relaxed);
        })
        .join();
        assert!(taken_back.is_ok());
        assert_eq!(c.load(Ordering::Relaxed), 3);
    }

    #[test]
    fn a_shard_that_wrapped_below_zero_sums_exactly() {
        let c = ShardedCounter(ShardedCounters::with_shards(2));
        c.0.shards[0].0[0].fetch_add(7, Ordering::Relaxed);
        c.0.shards[1].0[0].fetch_sub(3, Ordering::Relaxed);
        assert_eq!(c.load(Ordering::Relaxed), 4);
    }

    #[test]
    fn shards_are_on_lines_of_their_own() {
        assert_eq!(std::mem::align_of::<Shard<1>>(), 128);
        // A node's four counters share one line per shard.
        assert_eq!(std::mem::size_of::<Shard<4>>(), 128);
        let c = ShardedCounter::new();
        assert!(c.0.shards.len().is_power_of_two());
        assert!(c.0.shards.len() <= MAX_SHARDS);
    }

    #[test]
    fn counters_of_a_set_sum_apart() {
        let c: ShardedCounters<4> = ShardedCounters::with_shards(4);
        c.local()[1].fetch_add(2, Ordering::Relaxed);
        c.shards[3].0[1].fetch_add(5, Ordering::Relaxed);
        c.shards[2].0[3].fetch_add(1, Ordering::Relaxed);
        assert_eq!(
            (0..4)
                .map(|i| c.load(i, Ordering::Relaxed))
                .collect::<Vec<_>>(),
            vec![0, 7, 0, 1]
        );
        assert_eq!(c.load(9, Ordering::Relaxed), 0);
    }
}
