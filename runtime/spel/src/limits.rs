//! Bounds on compiling and evaluating expressions (`decisions.md` §10).
//!
//! Every limit is decided at deploy time and enforced either there (expression depth) or at run
//! time by the evaluation's [`Budget`](crate::eval::Budget) (sizes, the invocation's total, the
//! deadline). Going over a limit is an error of the expression, never a crash.

use serde::{Deserialize, Serialize};

use crate::eval::LimitError;
use crate::value::Value;

/// The limits of one deployment. `Default` gives the documented defaults (`docs/limits.md`),
/// which no scenario in `examples/` or the reference's exports comes near.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Limits {
    /// Deepest expression tree accepted at compile time: every level of nesting, operator runs
    /// (`a + b + c` is two levels) and method chains (`s.trim().trim()`) counts. The parser,
    /// typer and evaluator recurse once per level, so this bounds their stack use.
    pub max_expression_depth: usize,
    /// Longest string an evaluation may create, in bytes (UTF-8).
    pub max_string_bytes: usize,
    /// Most elements of a list, or entries of a map, an evaluation may create.
    pub max_collection_len: usize,
    /// Largest value an evaluation may create, in bytes as [`Value::size`] counts them: the
    /// whole tree, a part shared several times counted each time (what JSON or `toString`
    /// would spell out).
    ///
    /// [`Value::size`]: crate::Value::size
    pub max_value_bytes: u64,
    /// Deepest nesting of lists and maps in a created value.
    pub max_value_depth: u32,
    /// Bytes one invocation may allocate in all its evaluations together (strings, lists,
    /// maps, contexts). Freed memory is not given back: this is a cost bound as well.
    pub max_invocation_bytes: u64,
}

impl Limits {
    pub const DEFAULT: Limits = Limits {
        max_expression_depth: 200,
        max_string_bytes: 8 << 20,
        max_collection_len: 1_000_000,
        max_value_bytes: 32 << 20,
        max_value_depth: 256,
        max_invocation_bytes: 128 << 20,
    };

    /// Checks a value against the per-value limits: its length (strings, collections), its
    /// size as JSON would spell it out, its depth, and the digits of big numbers. What every
    /// value an evaluation makes goes through, and what encoders check a value against before
    /// they write it.
    #[inline]
    pub fn check(&self, v: &Value) -> Result<(), LimitError> {
        match v {
            Value::Str(s) => self.check_string_len(s.len()),
            Value::List(list) => self.check_container(list.len(), v),
            Value::Map(map) => self.check_container(map.len(), v),
            Value::BigDec(_) | Value::BigInt(_) => {
                crate::value::number::check_big(v).map_err(LimitError::Number)
            }
            _ => Ok(()),
        }
    }

    /// Whether a string of `len` bytes may exist.
    #[inline]
    pub fn check_string_len(&self, len: usize) -> Result<(), LimitError> {
        if len > self.max_string_bytes {
            return Err(LimitError::StringTooLong {
                len,
                limit: self.max_string_bytes,
            });
        }
        Ok(())
    }

    /// Whether a list of `len` elements, or a map of `len` entries, may exist.
    #[inline]
    pub fn check_collection_len(&self, len: usize) -> Result<(), LimitError> {
        if len > self.max_collection_len {
            return Err(LimitError::CollectionTooLarge {
                len,
                limit: self.max_collection_len,
            });
        }
        Ok(())
    }

    /// A list's or map's length, size and depth.
    #[inline]
    pub(crate) fn check_container(&self, len: usize, v: &Value) -> Result<(), LimitError> {
        self.check_collection_len(len)?;
        let size = v.size();
        if size > self.max_value_bytes {
            return Err(LimitError::ValueTooLarge {
                size,
                limit: self.max_value_bytes,
            });
        }
        let depth = v.depth();
        if depth > self.max_value_depth {
            return Err(LimitError::ValueTooDeep {
                depth,
                limit: self.max_value_depth,
            });
        }
        Ok(())
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}
