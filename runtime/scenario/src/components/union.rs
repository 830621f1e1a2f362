//! `union`: merges branches. A context arriving from a branch gets that branch's
//! `Output expression` as the output variable; every other variable is cleared
//! (`nussknacker-lite.md` §4.2).

use std::sync::Arc;

use scenic_spel::types::common_supertype;
use scenic_spel::{EvalEnv, Type, Value};

use crate::graph::{Ctx, Failure, Join, JoinFactory, Param, ParamCompiler};

pub struct Factory;

#[derive(Debug)]
struct Union {
    branches: Vec<Option<Param>>,
    slot: Option<usize>,
}

impl JoinFactory for Factory {
    fn create(
        &self,
        join_pc: &mut dyn ParamCompiler,
        branches: &mut [&mut dyn ParamCompiler],
        output: Option<usize>,
        _slots: usize,
    ) -> Option<(Arc<dyn Join>, Option<Type>)> {
        let mut compiled = Vec::new();
        let mut ty: Option<Type> = None;
        let mut ok = true;
        for pc in branches.iter_mut() {
            if pc.raw("Output expression").is_none() {
                if output.is_some() {
                    pc.error(
                        Some("Output expression"),
                        "Missing parameter 'Output expression'".into(),
                    );
                    ok = false;
                }
                compiled.push(None);
                continue;
            }
            match pc.compile("Output expression", None) {
                Some(p) => {
                    let t = p.static_type().without_value();
                    ty = Some(match ty {
                        None => t,
                        Some(prev) => {
                            let common = common_supertype(&prev, &t);
                            if common.is_unknown() && !prev.is_unknown() && !t.is_unknown() {
                                join_pc.error(Some("Output expression"), format!("All branch values must be of the same type: {prev} and {t} have no common type"));
                                ok = false;
                            }
                            common
                        }
                    });
                    compiled.push(Some(p));
                }
                None => {
                    ok = false;
                    compiled.push(None);
                }
            }
        }
        if !ok {
            return None;
        }
        Some((
            Arc::new(Union {
                branches: compiled,
                slot: output,
            }),
            ty,
        ))
    }
}

impl Join for Union {
    fn arrive(&self, branch: usize, ctx: &Ctx, env: &EvalEnv) -> Result<Ctx, Failure> {
        let value = match self.branches.get(branch) {
            Some(Some(p)) => p.eval(ctx, env)?,
            _ => Value::Null,
        };
        let mut out = vec![Value::Null; ctx.len()];
        if let Some(s) = self.slot.and_then(|s| out.get_mut(s)) {
            *s = value;
        }
        Ok(out)
    }
}
