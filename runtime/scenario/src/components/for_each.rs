//! `for-each`: one context per element of a collection (`nussknacker-lite.md` §4.2).

use std::sync::Arc;

use scenic_spel::{EvalEnv, Type, Value};

use crate::graph::{Ctx, CustomFactory, Failure, Param, ParamCompiler, Transformer};

pub struct Factory;

#[derive(Debug)]
struct ForEach {
    elements: Param,
    slot: usize,
}

impl CustomFactory for Factory {
    fn create(
        &self,
        pc: &mut dyn ParamCompiler,
        output: Option<usize>,
    ) -> Option<(Arc<dyn Transformer>, Option<Type>)> {
        let Some(slot) = output else {
            pc.error(None, "for-each needs an output variable".into());
            return None;
        };
        let elements = pc.required("Elements", None)?;
        let t = elements.static_type().clone();
        let elem = match t.element_type() {
            Some(e) => e,
            None if t.is_unknown() => Type::Unknown,
            None => {
                pc.error(
                    Some("Elements"),
                    format!("Elements must be a collection, found {t}"),
                );
                return None;
            }
        };
        Some((
            Arc::new(ForEach { elements, slot }),
            Some(elem.without_value()),
        ))
    }
}

impl Transformer for ForEach {
    fn apply(&self, input: &[Ctx], env: &EvalEnv) -> Vec<Result<Ctx, Failure>> {
        let mut out = Vec::new();
        for ctx in input {
            match self.elements.eval(ctx, env) {
                Ok(Value::List(items)) => {
                    // One copy of the context per element, charged before they are made.
                    let bytes = (ctx.len() as u64 + 3) * scenic_spel::value::SLOT_BYTES;
                    if let Err(e) = env.budget.charge(bytes.saturating_mul(items.len() as u64)) {
                        out.push(Err(e.into()));
                        continue;
                    }
                    for item in items.iter() {
                        let mut c = ctx.clone();
                        if let Some(s) = c.get_mut(self.slot) {
                            *s = item.clone();
                        }
                        out.push(Ok(c));
                    }
                }
                Ok(Value::Null) => out.push(Err(Failure::Component(
                    "for-each: Elements evaluated to null".into(),
                ))),
                Ok(other) => out.push(Err(Failure::Component(format!(
                    "for-each: Elements must be a collection, got {}",
                    other.class_name()
                )))),
                Err(e) => out.push(Err(e)),
            }
        }
        out
    }
}
