//! `log`: a processor (or enricher) writing a message to the process log. It is the one
//! built-in component with an effect outside the scenario, so test runs skip it.

use std::sync::Arc;

use futures::future::BoxFuture;
use scenic_spel::{EvalEnv, Type, Value};

use crate::graph::{Ctx, Failure, Param, ParamCompiler, Service, ServiceFactory};

pub struct Factory;

#[derive(Debug)]
struct Log {
    node: String,
    message: Param,
}

impl ServiceFactory for Factory {
    fn create(&self, pc: &mut dyn ParamCompiler) -> Option<(Arc<dyn Service>, Type)> {
        let message = pc.required("Message", None)?;
        let node = pc.node_id().to_string();
        Some((Arc::new(Log { node, message }), Type::string()))
    }
}

impl Service for Log {
    fn invoke<'a>(
        &'a self,
        ctx: &'a Ctx,
        env: &'a EvalEnv,
    ) -> BoxFuture<'a, Result<Value, Failure>> {
        Box::pin(async move {
            let v = self.message.eval(ctx, env)?;
            let text = match &v {
                Value::Str(s) => s.to_string(),
                other => other.to_java_string(),
            };
            tracing::info!(node = %self.node, message = %text, "scenario log");
            Ok(Value::from(text))
        })
    }
    fn has_side_effects(&self) -> bool {
        true
    }
}
