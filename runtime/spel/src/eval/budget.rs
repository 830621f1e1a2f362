//! The budget of one invocation: what its evaluations may still allocate and until when they
//! may run (`decisions.md` §10).
//!
//! The evaluator charges what it creates ([`Budget::charge`], [`Budget::admit`]) and counts
//! work in its loops ([`Budget::tick`]); every [`CHECK_EVERY`] units of work it reads the clock.
//! Running out of time or memory is sticky: every later charge fails too, so the interpreter
//! stops the whole invocation instead of failing it context by context.
//!
//! A budget may also carry a *slice*: a time after which an evaluation on a latency-critical
//! thread stops with [`LimitError::Preempted`], so that its caller can continue the invocation
//! elsewhere (the request-response runtime moves it to its compute pool). Preemption is not a
//! failure; [`Budget::end_slice`] clears it.
//!
//! Counters are atomics used with relaxed loads and stores (one thread at a time uses a budget;
//! they are atomics only so that an invocation can move between threads): no locked
//! instructions on the hot path.

use std::fmt;
use std::sync::atomic::{AtomicU32, AtomicU64, AtomicU8, Ordering::Relaxed};
use std::time::Instant;

use crate::limits::Limits;
use crate::value::Value;

/// Work units between two looks at the clock. A unit is one loop iteration of the evaluator, a
/// helper or the interpreter, or 64 bytes allocated. Often enough that a loop whose every
/// iteration scans a long string (a few milliseconds) still stops near its deadline; reading
/// the clock costs some 20 ns, under 1 % of even the lightest loop's 64 iterations.
pub const CHECK_EVERY: u32 = 64;

/// Why an evaluation stopped before its end.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitError {
    #[error("The evaluation ran past its deadline")]
    Deadline,
    /// Not a failure: the evaluation is to continue off the latency-critical thread.
    #[error("The evaluation was paused to continue on the compute pool")]
    Preempted,
    #[error("The invocation allocated more than its budget of {limit} bytes")]
    Memory { limit: u64 },
    #[error("A string of {len} bytes is longer than the limit of {limit} bytes")]
    StringTooLong { len: usize, limit: usize },
    #[error("A collection of {len} elements is larger than the limit of {limit} elements")]
    CollectionTooLarge { len: usize, limit: usize },
    #[error("A value of about {size} bytes is larger than the limit of {limit} bytes")]
    ValueTooLarge { size: u64, limit: u64 },
    #[error("A value nested {depth} levels deep is deeper than the limit of {limit} levels")]
    ValueTooDeep { depth: u32, limit: u32 },
    /// A BigDecimal or BigInteger beyond `number::MAX_DIGITS` or `number::MAX_SCALE`.
    #[error("{0}")]
    Number(String),
}

/// Which budget an invocation exhausted (see [`Budget::exhausted`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exhausted {
    Preempted,
    Deadline,
    Memory,
}

const OK: u8 = 0;
const PREEMPTED: u8 = 1;
const DEADLINE: u8 = 2;
const MEMORY: u8 = 3;

pub struct Budget {
    limits: Limits,
    deadline: Option<Instant>,
    slice_end: Option<Instant>,
    /// Whether `slice_end` still applies.
    sliced: AtomicU8,
    used: AtomicU64,
    work: AtomicU32,
    state: AtomicU8,
}

impl Budget {
    /// A budget with `limits` and no deadline.
    pub fn new(limits: Limits) -> Budget {
        Budget {
            limits,
            deadline: None,
            slice_end: None,
            sliced: AtomicU8::new(0),
            used: AtomicU64::new(0),
            work: AtomicU32::new(0),
            state: AtomicU8::new(OK),
        }
    }

    /// Evaluations fail with [`LimitError::Deadline`] after `at`.
    pub fn with_deadline(mut self, at: Option<Instant>) -> Budget {
        self.deadline = at;
        self
    }

    /// Evaluations stop with [`LimitError::Preempted`] after `at` (until [`Budget::end_slice`]).
    pub fn with_slice(mut self, at: Instant) -> Budget {
        self.slice_end = Some(at);
        self.sliced.store(1, Relaxed);
        self
    }

    /// When the invocation must have finished (components that wait, such as enrichers, stop
    /// waiting then).
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Bytes charged so far.
    pub fn used(&self) -> u64 {
        self.used.load(Relaxed)
    }

    /// The budget this invocation ran out of, if any. `Preempted` until [`Budget::end_slice`].
    pub fn exhausted(&self) -> Option<Exhausted> {
        match self.state.load(Relaxed) {
            PREEMPTED => Some(Exhausted::Preempted),
            DEADLINE => Some(Exhausted::Deadline),
            MEMORY => Some(Exhausted::Memory),
            _ => None,
        }
    }

    /// Drops the slice: the evaluation now runs where it may take its time (up to the deadline).
    pub fn end_slice(&self) {
        self.sliced.store(0, Relaxed);
        if self.state.load(Relaxed) == PREEMPTED {
            self.state.store(OK, Relaxed);
        }
    }

    fn sticky(&self) -> Result<(), LimitError> {
        match self.state.load(Relaxed) {
            OK => Ok(()),
            PREEMPTED => Err(LimitError::Preempted),
            DEADLINE => Err(LimitError::Deadline),
            _ => Err(LimitError::Memory {
                limit: self.limits.max_invocation_bytes,
            }),
        }
    }

    /// Charges `bytes` newly allocated; fails once the invocation's total is over its limit.
    #[inline]
    pub fn charge(&self, bytes: u64) -> Result<(), LimitError> {
        self.sticky()?;
        let used = self.used.load(Relaxed).saturating_add(bytes);
        self.used.store(used, Relaxed);
        if used > self.limits.max_invocation_bytes {
            self.state.store(MEMORY, Relaxed);
            return Err(LimitError::Memory {
                limit: self.limits.max_invocation_bytes,
            });
        }
        // Allocating is work too: a big string counts towards the next look at the clock.
        if bytes >= 4096 {
            return self.tick((bytes / 64).min(u32::MAX as u64) as u32);
        }
        Ok(())
    }

    /// Counts `units` of work; every [`CHECK_EVERY`] units, looks at the clock.
    #[inline]
    pub fn tick(&self, units: u32) -> Result<(), LimitError> {
        let w = self.work.load(Relaxed).saturating_add(units);
        if w < CHECK_EVERY {
            self.work.store(w, Relaxed);
            return Ok(());
        }
        self.work.store(0, Relaxed);
        self.check_now()
    }

    /// Looks at the clock now.
    fn check_now(&self) -> Result<(), LimitError> {
        self.sticky()?;
        if self.deadline.is_none() && self.sliced.load(Relaxed) == 0 {
            return Ok(());
        }
        let now = Instant::now();
        if self.deadline.is_some_and(|d| now >= d) {
            self.state.store(DEADLINE, Relaxed);
            return Err(LimitError::Deadline);
        }
        if self.sliced.load(Relaxed) != 0 && self.slice_end.is_some_and(|e| now >= e) {
            self.state.store(PREEMPTED, Relaxed);
            return Err(LimitError::Preempted);
        }
        Ok(())
    }

    /// Checks a value an evaluation created against the per-value limits.
    #[inline]
    pub fn check_value(&self, v: &Value) -> Result<(), LimitError> {
        self.limits.check(v)
    }

    /// Checks a value an evaluation produced (a method's result, a built list) and charges what
    /// it newly allocated: the text of a heap string, the top level of a container nobody else
    /// holds (shared values were charged when they were made).
    #[inline]
    pub fn admit(&self, v: &Value) -> Result<(), LimitError> {
        let l = &self.limits;
        match v {
            // Inline strings (up to 23 bytes) allocate nothing and fit every limit.
            Value::Str(s) if s.is_heap_allocated() => {
                l.check_string_len(s.len())?;
                self.charge(s.len() as u64)
            }
            Value::List(list) => {
                l.check_container(list.len(), v)?;
                if std::sync::Arc::strong_count(list) == 1 {
                    return self.charge(list.shallow_size());
                }
                Ok(())
            }
            Value::Map(map) => {
                l.check_container(map.len(), v)?;
                if std::sync::Arc::strong_count(map) == 1 {
                    return self.charge(map.shallow_size());
                }
                Ok(())
            }
            Value::BigDec(_) | Value::BigInt(_) => self.check_value(v),
            _ => Ok(()),
        }
    }

    /// Checks that a string of `len` bytes may be created, before creating it.
    #[inline]
    pub fn reserve_string(&self, len: usize) -> Result<(), LimitError> {
        self.limits.check_string_len(len)?;
        self.charge(len as u64)
    }

    /// Checks that a collection of `len` elements may be created, before creating it.
    #[inline]
    pub fn reserve_collection(&self, len: usize) -> Result<(), LimitError> {
        self.limits.check_collection_len(len)?;
        self.charge((len as u64).saturating_mul(crate::value::SLOT_BYTES))
    }
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new(Limits::default())
    }
}

/// A copy with the same limits, deadline and counters as they are now.
impl Clone for Budget {
    fn clone(&self) -> Self {
        Budget {
            limits: self.limits,
            deadline: self.deadline,
            slice_end: self.slice_end,
            sliced: AtomicU8::new(self.sliced.load(Relaxed)),
            used: AtomicU64::new(self.used.load(Relaxed)),
            work: AtomicU32::new(self.work.load(Relaxed)),
            state: AtomicU8::new(self.state.load(Relaxed)),
        }
    }
}

impl fmt::Debug for Budget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Budget")
            .field("limits", &self.limits)
            .field("deadline", &self.deadline)
            .field("used", &self.used())
            .field("exhausted", &self.exhausted())
            .finish()
    }
}
