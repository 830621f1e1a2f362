//! `Switch` (a choice).

use scenic_spel::Type;

use super::{Here, Then};
use crate::compile::builder::{Builder, VarScope};
use crate::compile::CompileError;
use crate::graph::Step;
use crate::model::{Case, Expression, Node};

/// A choice: its optional value variable, its cases in order and its default; it ends the list.
pub(super) fn compile(
    b: &mut Builder<'_>,
    here: &Here<'_, '_>,
    scope: &mut VarScope,
    expression: Option<&Expression>,
    expr_val: Option<&str>,
    nexts: &[Case],
    default_next: &[Node],
) -> Then {
    let Here {
        at,
        id,
        last,
        frame,
        input_slot,
    } = *here;
    let mut case_scope = scope.clone();
    let mut ev = None;
    if let (Some(e), Some(name)) = (expression, expr_val) {
        if !e.expression.trim().is_empty() {
            if let Some(p) = b.expression(id, "expression", e, scope, None) {
                let slot = b.var_slot(frame, name);
                case_scope.declare(name, slot, p.static_type().without_value());
                ev = Some((slot, p));
            }
        }
    }
    let mut cases = Vec::new();
    for (ci, case) in nexts.iter().enumerate() {
        let p = b.expression(
            id,
            &format!("case {}", ci + 1),
            &case.expression,
            &case_scope,
            Some(&Type::boolean()),
        );
        let n = b.chain(&case.nodes, case_scope.clone(), frame, input_slot);
        if let Some(p) = p {
            cases.push((p, n));
        }
    }
    let default = b.chain(default_next, case_scope.clone(), frame, input_slot);
    b.set(
        at,
        Step::Switch {
            cases,
            default,
            expr_val: ev,
        },
    );
    if !last {
        b.errors.push(CompileError::node(
            id,
            "A choice must be the last node of its branch",
        ));
    }
    Then::End
}
