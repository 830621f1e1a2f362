//! One compiler per node kind (`nodes/<kind>.rs`), behind one dispatch, [`compile_node`]:
//! each turns its node into the step at its index, compiling the branches it leads to, and
//! says whether the list goes on after it.

mod branch_end;
mod custom;
mod filter;
mod fragment;
mod record;
mod service;
mod sink;
mod source;
mod split;
mod switch;
mod variable;

use super::builder::{Builder, Frame, VarScope};
use super::CompileError;
use crate::model::Node;

/// Where a node is compiled: its index and id, whether it ends its list, the fragment it is
/// inlined from and the slot of `#input`.
#[derive(Clone, Copy)]
pub(super) struct Here<'h, 'f> {
    pub at: usize,
    pub id: &'h str,
    pub last: bool,
    pub frame: Option<&'h Frame<'f>>,
    pub input_slot: usize,
}

/// What follows a node in its list.
pub(super) enum Then {
    /// The next node continues from it (its `next`, or a filter's true branch).
    Next,
    /// Nothing: it ended the list (a sink, a choice, a split, a branch end, a fragment).
    End,
}

/// Compiles `node` into the step at `here.at`; `scope` holds the variables visible after it.
pub(super) fn compile_node(
    b: &mut Builder<'_>,
    node: &Node,
    scope: &mut VarScope,
    here: &Here<'_, '_>,
) -> Then {
    match node {
        Node::Source { component, .. } => source::compile(b, here, scope, component),
        Node::Filter {
            expression,
            next_false,
            ..
        } => filter::compile(b, here, scope, expression, next_false),
        Node::Switch {
            expression,
            expr_val,
            nexts,
            default_next,
            ..
        } => switch::compile(
            b,
            here,
            scope,
            expression.as_ref(),
            expr_val.as_deref(),
            nexts,
            default_next,
        ),
        Node::Split { nexts, .. } => split::compile(b, here, scope, nexts),
        Node::Variable {
            var_name, value, ..
        } => variable::compile(b, here, scope, var_name, value),
        Node::VariableBuilder {
            var_name, fields, ..
        } => record::compile(b, here, scope, var_name, fields),
        Node::Enricher {
            service, output, ..
        } => service::enricher(b, here, scope, service, output),
        Node::Processor { service, .. } => service::processor(b, here, scope, service),
        Node::CustomNode {
            output_var,
            node_type,
            parameters,
            ..
        } => custom::compile(b, here, scope, output_var.as_deref(), node_type, parameters),
        Node::BranchEndData { definition } => branch_end::compile(b, here, scope, definition),
        Node::Sink { component, .. } => sink::compile(b, here, scope, component),
        Node::FragmentInput {
            fragment, outputs, ..
        } => fragment::input(b, here, scope, fragment, outputs),
        Node::FragmentOutputDefinition {
            output_name,
            fields,
            ..
        } => fragment::output(b, here, scope, output_name, fields),
        Node::FragmentUsageOutput { output_var, .. } => {
            fragment::usage_output(b, here, scope, output_var.as_ref())
        }
        Node::FragmentInputDefinition { .. } => {
            b.errors.push(CompileError::node(
                here.id,
                "A fragment definition node inside a scenario",
            ));
            Then::End
        }
        Node::Join { .. } => {
            b.errors.push(CompileError::node(
                here.id,
                "A join must head an additional branch",
            ));
            Then::End
        }
    }
}
