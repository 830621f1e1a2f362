//! `Source`: the scenario's source component and the variables it sets.

use scenic_spel::Type;

use super::{Here, Then};
use crate::compile::builder::{Builder, NodeParams, VarScope};
use crate::compile::CompileError;
use crate::graph::Step;
use crate::model::ComponentRef;

/// A source: its component, `#input` and the source's other variables.
pub(super) fn compile(
    b: &mut Builder<'_>,
    here: &Here<'_, '_>,
    scope: &mut VarScope,
    component: &ComponentRef,
) -> Then {
    let Here {
        at, id, input_slot, ..
    } = *here;
    let factory = b.opts.registry.sources.get(&component.typ).cloned();
    let src = match factory {
        Some(factory) => {
            let mut pc =
                NodeParams::new(b, id, component.parameters.iter().collect(), scope.clone());
            factory.create(&mut pc)
        }
        None => {
            b.errors.push(CompileError::node(
                id,
                format!("Unknown source component '{}'", component.typ),
            ));
            // Keep compiling the rest with `#input` of unknown type.
            scope.declare("input", input_slot, Type::Unknown);
            None
        }
    };
    if let Some(src) = src {
        scope.declare("input", input_slot, src.output_type());
        let first = b.source.is_none();
        for (name, t) in src.variables() {
            let slot = b.slot(&name);
            scope.declare(&name, slot, t);
            if first {
                b.source_vars.push(slot);
            }
        }
        if first {
            b.source = Some(src);
        }
    }
    b.set(at, Step::Source { next: None });
    Then::Next
}
