//! `Enricher` and `Processor`: a service call.

use scenic_spel::Type;

use super::{Here, Then};
use crate::compile::builder::{Builder, NodeParams, VarScope};
use crate::compile::CompileError;
use crate::graph::Step;
use crate::model::ServiceRef;

/// The error for a component the registry does not have, with the configured providers that
/// could not offer theirs.
fn unknown(kind: &str, id: &str, unavailable: &[String]) -> String {
    let mut m = format!("Unknown {kind} component '{id}'");
    if !unavailable.is_empty() {
        m.push_str(&format!(" (unavailable: {})", unavailable.join("; ")));
    }
    m
}

/// An enricher: its service, whose result is the output variable.
pub(super) fn enricher(
    b: &mut Builder<'_>,
    here: &Here<'_, '_>,
    scope: &mut VarScope,
    service: &ServiceRef,
    output: &str,
) -> Then {
    let Here { at, id, frame, .. } = *here;
    let factory = b.opts.registry.services.get(&service.id).cloned();
    let made = match factory {
        Some(factory) => {
            let mut pc = NodeParams::new(b, id, service.parameters.iter().collect(), scope.clone());
            factory.create(&mut pc)
        }
        None => {
            b.errors.push(CompileError::node(
                id,
                unknown("enricher", &service.id, &b.opts.registry.unavailable),
            ));
            None
        }
    };
    let slot = b.var_slot(frame, output);
    if let Some((svc, ty)) = made {
        scope.declare(output, slot, ty);
        b.set(
            at,
            Step::Service {
                service: svc,
                slot: Some(slot),
                next: None,
            },
        );
    } else {
        scope.declare(output, slot, Type::Unknown);
    }
    Then::Next
}

/// A processor: its service, for its effect only.
pub(super) fn processor(
    b: &mut Builder<'_>,
    here: &Here<'_, '_>,
    scope: &mut VarScope,
    service: &ServiceRef,
) -> Then {
    let Here { at, id, .. } = *here;
    let factory = b.opts.registry.services.get(&service.id).cloned();
    match factory {
        Some(factory) => {
            let mut pc = NodeParams::new(b, id, service.parameters.iter().collect(), scope.clone());
            if let Some((svc, _)) = factory.create(&mut pc) {
                b.set(
                    at,
                    Step::Service {
                        service: svc,
                        slot: None,
                        next: None,
                    },
                );
            }
        }
        None => b.errors.push(CompileError::node(
            id,
            unknown("processor", &service.id, &b.opts.registry.unavailable),
        )),
    }
    Then::Next
}
