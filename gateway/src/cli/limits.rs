//! The limits of `scenic serve` and `scenic run` (`docs/limits.md`): how much one invocation may
//! evaluate, and how big a scenario may be. Defaults are those of `ScenarioLimits::DEFAULT`.

use std::time::Duration;

use clap::Args;
use scenic_rr::compute::PoolSettings;
use scenic_scenario::ScenarioLimits;
use scenic_spel::limits::Limits as EvalLimits;

const D: ScenarioLimits = ScenarioLimits::DEFAULT;
const E: EvalLimits = EvalLimits::DEFAULT;

#[derive(Args, Debug, Clone)]
pub struct LimitArgs {
    /// Bytes one invocation may allocate in all its expressions (strings, lists, maps,
    /// contexts); over it, the invocation fails at the node that went over.
    #[arg(long, default_value_t = E.max_invocation_bytes)]
    pub max_eval_memory: u64,
    /// Longest string an expression may create, in bytes.
    #[arg(long, default_value_t = E.max_string_bytes)]
    pub max_string_bytes: usize,
    /// Most elements a list (or entries a map) an expression creates may have.
    #[arg(long, default_value_t = E.max_collection_len)]
    pub max_collection_len: usize,
    /// Largest value an expression may create, in bytes, counted as JSON would spell it out.
    #[arg(long, default_value_t = E.max_value_bytes)]
    pub max_value_bytes: u64,
    /// Deepest expression tree (nesting, operator runs, method chains) a scenario may contain.
    #[arg(long, default_value_t = E.max_expression_depth, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=1000))]
    pub max_expression_depth: usize,
    /// Most nodes a scenario may have once its fragments are inlined.
    #[arg(long, default_value_t = D.max_nodes)]
    pub max_nodes: usize,
    /// Longest a scenario may take to compile, in seconds; a slower deploy is refused.
    #[arg(long, default_value_t = D.compile_timeout.as_secs())]
    pub compile_timeout: u64,
    /// Threads of the compute pool that runs long invocations off the HTTP threads
    /// (default: one per core, at least 2).
    #[arg(long, default_value_t = 0)]
    pub compute_threads: usize,
}

impl LimitArgs {
    pub fn scenario(&self) -> ScenarioLimits {
        ScenarioLimits {
            eval: EvalLimits {
                max_expression_depth: self.max_expression_depth,
                max_string_bytes: self.max_string_bytes,
                max_collection_len: self.max_collection_len,
                max_value_bytes: self.max_value_bytes,
                max_invocation_bytes: self.max_eval_memory,
                ..E
            },
            max_nodes: self.max_nodes,
            compile_timeout: Duration::from_secs(self.compile_timeout.max(1)),
            ..D
        }
    }

    pub fn pool(&self) -> PoolSettings {
        PoolSettings {
            threads: self.compute_threads,
            ..PoolSettings::default()
        }
    }
}
