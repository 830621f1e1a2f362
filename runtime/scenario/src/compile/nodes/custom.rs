//! `CustomNode`: a transformer.

use scenic_spel::Type;

use super::{Here, Then};
use crate::compile::builder::{Builder, NodeParams, VarScope};
use crate::compile::CompileError;
use crate::graph::Step;
use crate::model::Parameter;

/// A custom node: its transformer and the output variable's type.
pub(super) fn compile(
    b: &mut Builder<'_>,
    here: &Here<'_, '_>,
    scope: &mut VarScope,
    output_var: Option<&str>,
    node_type: &str,
    parameters: &[Parameter],
) -> Then {
    let Here { at, id, frame, .. } = *here;
    let factory = b.opts.registry.custom.get(node_type).cloned();
    let out_slot = output_var
        .filter(|v| !v.is_empty())
        .map(|v| b.var_slot(frame, v));
    let Some(factory) = factory else {
        let hint = if b.opts.registry.joins.contains_key(node_type) {
            " (it is a join: it must head an additional branch)"
        } else {
            ""
        };
        b.errors.push(CompileError::node(
            id,
            format!("Unknown custom node component '{node_type}'{hint}"),
        ));
        if let (Some(v), Some(s)) = (output_var, out_slot) {
            scope.declare(v, s, Type::Unknown);
        }
        return Then::Next;
    };
    let mut pc = NodeParams::new(b, id, parameters.iter().collect(), scope.clone());
    if let Some((t, ty)) = factory.create(&mut pc, out_slot) {
        if t.barrier() {
            // `collect` clears every other variable.
            *scope = VarScope::default();
        }
        if let (Some(v), Some(s), Some(ty)) = (output_var, out_slot, ty) {
            scope.declare(v, s, ty);
        }
        b.set(
            at,
            Step::Custom {
                transformer: t,
                next: None,
            },
        );
    }
    Then::Next
}
