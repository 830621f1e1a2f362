//! `BranchEndData`: the end of a branch into a join.

use std::sync::Arc;

use super::{Here, Then};
use crate::compile::builder::{Builder, JoinState, VarScope};
use crate::compile::CompileError;
use crate::model::BranchEndDefinition;

/// A branch end: recorded for its join, wired once all the join's branches are known.
pub(super) fn compile(
    b: &mut Builder<'_>,
    here: &Here<'_, '_>,
    scope: &mut VarScope,
    definition: &BranchEndDefinition,
) -> Then {
    let Here { at, id, last, .. } = *here;
    // Internal id, as the reference names it: the Designer gives the branch end
    // the id of the node before it.
    if let Some(n) = b.nodes.get_mut(at) {
        n.id = Arc::from(format!("$edge-{}-{}", definition.id, definition.join_id));
    }
    b.joins
        .entry(definition.join_id.clone())
        .or_insert_with(|| JoinState {
            incoming: Vec::new(),
        })
        .incoming
        .push((definition.id.clone(), at, scope.clone()));
    if !last {
        b.errors.push(CompileError::node(
            id,
            "A branch end must be the last node of its branch",
        ));
    }
    Then::End
}
