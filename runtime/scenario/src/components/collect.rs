//! `collect`: gathers the value of `Input expression` for every context of the batch that
//! reaches it into one list, in one new context holding only the output variable
//! (`nussknacker-lite.md` §4.3).

use std::sync::Arc;

use scenic_spel::{EvalEnv, Type, Value};

use crate::graph::{Ctx, CustomFactory, Failure, Param, ParamCompiler, Transformer};

pub struct Factory;

#[derive(Debug)]
struct Collect {
    input: Param,
    slot: usize,
}

impl CustomFactory for Factory {
    fn create(
        &self,
        pc: &mut dyn ParamCompiler,
        output: Option<usize>,
    ) -> Option<(Arc<dyn Transformer>, Option<Type>)> {
        let Some(slot) = output else {
            pc.error(None, "collect needs an output variable".into());
            return None;
        };
        let input = pc.required("Input expression", None)?;
        let t = Type::list(input.static_type().without_value());
        Some((Arc::new(Collect { input, slot }), Some(t)))
    }
}

impl Transformer for Collect {
    fn barrier(&self) -> bool {
        true
    }
    fn apply(&self, input: &[Ctx], env: &EvalEnv) -> Vec<Result<Ctx, Failure>> {
        let Some(len) = input.first().map(Vec::len) else {
            return Vec::new();
        };
        let mut items = Vec::with_capacity(input.len());
        let mut errors = Vec::new();
        for ctx in input {
            match self.input.eval(ctx, env) {
                Ok(v) => items.push(v),
                Err(e) => errors.push(Err(e)),
            }
        }
        if !errors.is_empty() {
            return errors;
        }
        let collected = Value::list(items);
        if let Err(e) = env.budget.admit(&collected) {
            return vec![Err(e.into())];
        }
        let mut ctx = vec![Value::Null; len];
        if let Some(s) = ctx.get_mut(self.slot) {
            *s = collected;
        }
        vec![Ok(ctx)]
    }
}
