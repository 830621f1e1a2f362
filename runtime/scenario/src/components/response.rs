//! `response`: the request-response sink (`nussknacker-lite.md` §4.3). With `Raw editor` the
//! `Value` parameter is the response; otherwise one parameter per `outputSchema` property
//! builds it (see [`SinkValue`]).

use std::sync::Arc;

use scenic_spel::EvalEnv;

use super::sink_value::SinkValue;
use crate::graph::{Ctx, Emitted, Failure, ParamCompiler, Sink, SinkFactory};

pub struct Factory;

#[derive(Debug)]
struct Response(SinkValue);

impl SinkFactory for Factory {
    fn create(&self, pc: &mut dyn ParamCompiler) -> Option<Arc<dyn Sink>> {
        let Some(schema) = pc.output_schema() else {
            pc.error(
                None,
                "The response sink needs the scenario's \"outputSchema\" property".into(),
            );
            return None;
        };
        let value = SinkValue::compile(pc, Some(&schema))?;
        Some(Arc::new(Response(value)))
    }
}

impl Sink for Response {
    fn emit(&self, ctx: &Ctx, env: &EvalEnv) -> Result<Option<Emitted>, Failure> {
        self.0.eval(ctx, env).map(|v| Some(Emitted::Value(v)))
    }
}
