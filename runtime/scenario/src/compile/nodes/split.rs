//! `Split`.

use super::{Here, Then};
use crate::compile::builder::{Builder, VarScope};
use crate::compile::CompileError;
use crate::graph::Step;
use crate::model::Node;

/// A split: one branch per list; it ends the list.
pub(super) fn compile(
    b: &mut Builder<'_>,
    here: &Here<'_, '_>,
    scope: &mut VarScope,
    nexts: &[Vec<Node>],
) -> Then {
    let Here {
        at,
        id,
        last,
        frame,
        input_slot,
    } = *here;
    let branches = nexts
        .iter()
        .map(|l| b.chain(l, scope.clone(), frame, input_slot))
        .collect();
    b.set(at, Step::Split { branches });
    if !last {
        b.errors.push(CompileError::node(
            id,
            "A split must be the last node of its branch",
        ));
    }
    Then::End
}
