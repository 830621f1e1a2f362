//! `dead-end`: a sink that consumes contexts and produces nothing.

use std::sync::Arc;

use scenic_spel::EvalEnv;

use crate::graph::{Ctx, Emitted, Failure, ParamCompiler, Sink, SinkFactory};

pub struct Factory;

#[derive(Debug)]
struct DeadEnd;

impl SinkFactory for Factory {
    fn create(&self, _pc: &mut dyn ParamCompiler) -> Option<Arc<dyn Sink>> {
        Some(Arc::new(DeadEnd))
    }
}

impl Sink for DeadEnd {
    fn emit(&self, _ctx: &Ctx, _env: &EvalEnv) -> Result<Option<Emitted>, Failure> {
        Ok(None)
    }
}
