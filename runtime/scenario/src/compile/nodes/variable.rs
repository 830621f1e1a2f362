//! `Variable`.

use scenic_spel::Type;

use super::{Here, Then};
use crate::compile::builder::{Builder, VarScope};
use crate::graph::Step;
use crate::model::Expression;

/// A variable: one expression into one slot.
pub(super) fn compile(
    b: &mut Builder<'_>,
    here: &Here<'_, '_>,
    scope: &mut VarScope,
    var_name: &str,
    value: &Expression,
) -> Then {
    let Here { at, id, frame, .. } = *here;
    let p = b.expression(id, "value", value, scope, None);
    let slot = b.var_slot(frame, var_name);
    let ty = p
        .as_ref()
        .map(|p| p.static_type().without_value())
        .unwrap_or(Type::Unknown);
    scope.declare(var_name, slot, ty);
    if let Some(value) = p {
        b.set(
            at,
            Step::Variable {
                slot,
                value,
                next: None,
            },
        );
    }
    Then::Next
}
