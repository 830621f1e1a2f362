//! Evaluator: runs a compiled node tree against variable slots.
//!
//! The typer has already resolved names to slots, methods to `MethodDef`s and constant
//! sub-expressions to values, so evaluation is one `match` per node and allocates only where a
//! result needs new storage. Values are borrowed (`Cow`) along field paths.

mod budget;
mod error;
#[allow(clippy::module_inception)]
mod eval;
mod node;

use chrono::{DateTime, Utc};

pub use budget::{Budget, Exhausted, LimitError, CHECK_EVERY};
pub use error::EvalError;
pub(crate) use eval::{call_const, Cx};
pub use eval::{java_compare_values as java_compare, spel_equals_values as spel_equals};
pub(crate) use node::{Callee, CmpOp, Node, PreparedCall, TplNode};

use crate::value::{Str, ZoneId};

/// Where `#DATE` reads the time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Clock {
    System,
    Fixed(DateTime<Utc>),
}

/// What an evaluation runs with: the deployment's settings (clock, default zone, locale) and
/// the invocation's budget (see [`Budget`]).
#[derive(Clone, Debug)]
pub struct EvalEnv {
    pub clock: Clock,
    pub zone: ZoneId,
    pub locale: Str,
    pub budget: Budget,
}

impl Default for EvalEnv {
    fn default() -> Self {
        EvalEnv {
            clock: Clock::System,
            zone: ZoneId::Offset(chrono::FixedOffset::east_opt(0).unwrap_or_else(|| {
                chrono::FixedOffset::east_opt(0).expect("zero offset is valid")
            })),
            locale: Str::new_static("en_US"),
            budget: Budget::default(),
        }
    }
}

impl EvalEnv {
    /// The settings of the reference's helper tests: clock fixed at 2020-01-01T00:00:00Z,
    /// zone UTC, locale en_US.
    pub fn fixed(at: DateTime<Utc>) -> EvalEnv {
        EvalEnv {
            clock: Clock::Fixed(at),
            ..EvalEnv::default()
        }
    }

    /// The same settings with a fresh budget: what each invocation evaluates with.
    pub fn with_budget(&self, budget: Budget) -> EvalEnv {
        EvalEnv {
            clock: self.clock,
            zone: self.zone,
            locale: self.locale.clone(),
            budget,
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match &self.clock {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => *t,
        }
    }
}
