//! `Filter`.

use scenic_spel::Type;

use super::{Here, Then};
use crate::compile::builder::{Builder, VarScope};
use crate::compile::CompileError;
use crate::graph::Step;
use crate::model::{Expression, Node};

/// A filter: its condition; the false branch compiles here, the true one continues the list.
pub(super) fn compile(
    b: &mut Builder<'_>,
    here: &Here<'_, '_>,
    scope: &mut VarScope,
    expression: &Expression,
    next_false: &[Node],
) -> Then {
    let Here {
        at,
        id,
        last,
        frame,
        input_slot,
    } = *here;
    let cond = b.expression(id, "expression", expression, scope, Some(&Type::boolean()));
    let on_false = b.chain(next_false, scope.clone(), frame, input_slot);
    if last && next_false.is_empty() {
        b.errors.push(CompileError::node(
            id,
            "A filter must lead somewhere: both its true and false branches are empty",
        ));
    }
    if let Some(cond) = cond {
        b.set(
            at,
            Step::Filter {
                cond,
                on_true: None,
                on_false,
            },
        );
    }
    Then::Next
}
