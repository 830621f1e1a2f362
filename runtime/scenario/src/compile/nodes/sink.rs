//! `Sink`.

use super::{Here, Then};
use crate::compile::builder::{Builder, NodeParams, VarScope};
use crate::compile::CompileError;
use crate::graph::Step;
use crate::model::ComponentRef;

/// A sink: its component; it ends the list.
pub(super) fn compile(
    b: &mut Builder<'_>,
    here: &Here<'_, '_>,
    scope: &mut VarScope,
    component: &ComponentRef,
) -> Then {
    let Here { at, id, last, .. } = *here;
    let factory = b.opts.registry.sinks.get(&component.typ).cloned();
    match factory {
        Some(factory) => {
            let mut pc =
                NodeParams::new(b, id, component.parameters.iter().collect(), scope.clone());
            if let Some(sink) = factory.create(&mut pc) {
                b.set(at, Step::Sink { sink });
            }
        }
        None => b.errors.push(CompileError::node(
            id,
            format!("Unknown sink component '{}'", component.typ),
        )),
    }
    if !last {
        b.errors.push(CompileError::node(
            id,
            "A sink must be the last node of its branch",
        ));
    }
    Then::End
}
