//! `FragmentInput`, `FragmentOutputDefinition` and `FragmentUsageOutput`: fragments inlined.

use indexmap::IndexMap;
use scenic_spel::types::Class;
use scenic_spel::Type;

use super::{Here, Then};
use crate::compile::builder::{self, Builder, Frame, VarScope};
use crate::compile::CompileError;
use crate::graph::Step;
use crate::model::{Field, FragmentRef, Node, OutputVar};

/// A fragment use: the fragment inlined, its outputs continuing here; it ends the list.
pub(super) fn input(
    b: &mut Builder<'_>,
    here: &Here<'_, '_>,
    scope: &mut VarScope,
    fragment: &FragmentRef,
    outputs: &IndexMap<String, Vec<Node>>,
) -> Then {
    let Here { id, last, .. } = *here;
    inline(b, here, fragment, outputs, scope);
    if !last {
        b.errors.push(CompileError::node(
            id,
            "A fragment must be the last node of its branch; its outputs continue it",
        ));
    }
    Then::End
}

/// A fragment's output, inside the fragment: its fields bound in the parent, then the parent's
/// list for that output.
pub(super) fn output(
    b: &mut Builder<'_>,
    here: &Here<'_, '_>,
    scope: &mut VarScope,
    output_name: &str,
    fields: &[Field],
) -> Then {
    let Here {
        at,
        id,
        frame,
        input_slot,
        ..
    } = *here;
    let Some(f) = frame else {
        b.errors.push(CompileError::node(
            id,
            "A fragment output outside a fragment",
        ));
        return Then::End;
    };
    let var_name = f
        .output_names
        .get(output_name)
        .cloned()
        .unwrap_or_else(|| output_name.to_string());
    let mut parent_scope = f.parent_scope.clone();
    let mut output = None;
    if !fields.is_empty() {
        let slot = b.var_slot(f.parent_frame, &var_name);
        let (ty, compiled) = b.record_fields(id, fields, scope);
        parent_scope.declare(&var_name, slot, ty);
        output = Some((slot, compiled));
    }
    let next = match f.outputs.get(output_name) {
        Some(rest) => b.chain(rest, parent_scope, f.parent_frame, input_slot),
        None => None,
    };
    b.set(at, Step::FragmentEnd { output, next });
    Then::End
}

/// A fragment output in the parent: the output variable, when it has one.
pub(super) fn usage_output(
    b: &mut Builder<'_>,
    here: &Here<'_, '_>,
    scope: &mut VarScope,
    output_var: Option<&OutputVar>,
) -> Then {
    let Here { at, id, frame, .. } = *here;
    let mut output = None;
    if let Some(ov) = output_var {
        let slot = b.var_slot(frame, &ov.name);
        let (ty, compiled) = b.record_fields(id, &ov.fields, scope);
        scope.declare(&ov.name, slot, ty);
        output = Some((slot, compiled));
    }
    b.set(at, Step::FragmentEnd { output, next: None });
    Then::Next
}

/// Inlines `fragment` at node `at` (`FragmentStart`: its parameters into its own slots), its
/// body compiled in a frame whose outputs continue with `outputs`.
fn inline(
    b: &mut Builder<'_>,
    here: &Here<'_, '_>,
    fragment: &FragmentRef,
    outputs: &IndexMap<String, Vec<Node>>,
    scope: &VarScope,
) {
    let Here {
        at,
        id,
        frame,
        input_slot,
        ..
    } = *here;
    // A fragment that uses itself, directly or through others, would be inlined forever.
    let mut chain = vec![fragment.id.clone()];
    let mut f = frame;
    while let Some(fr) = f {
        chain.push(fr.fragment.clone());
        if fr.fragment == fragment.id {
            chain.reverse();
            b.errors.push(CompileError::node(
                id,
                format!("Fragment cycle: {}", chain.join(" -> ")),
            ));
            return;
        }
        f = fr.parent_frame;
    }
    if chain.len() > b.opts.limits.max_fragment_depth {
        b.errors.push(CompileError::node(
            id,
            format!(
                "Fragments are nested more than {} deep",
                b.opts.limits.max_fragment_depth
            ),
        ));
        return;
    }
    let def = match b.opts.fragments.fragment(&fragment.id) {
        Ok(d) => d,
        Err(e) => {
            b.errors.push(CompileError::node(id, e));
            return;
        }
    };
    let Some(Node::FragmentInputDefinition { parameters, .. }) = def.nodes.first() else {
        b.errors.push(CompileError::node(
            id,
            format!(
                "Fragment '{}' does not start with a FragmentInputDefinition",
                fragment.id
            ),
        ));
        return;
    };
    let prefix = format!("{id}-");
    let inner = Frame {
        fragment: fragment.id.clone(),
        prefix: prefix.clone(),
        parent_scope: scope.clone(),
        outputs,
        output_names: &fragment.output_variable_names,
        parent_frame: frame,
    };
    let mut inner_scope = VarScope::default();
    let mut assigns = Vec::new();
    for p in parameters {
        let ty = p
            .typ
            .as_ref()
            .and_then(|t| {
                Class::by_name(&t.ref_clazz_name)
                    .or_else(|| Class::by_name(t.ref_clazz_name.rsplit('.').next().unwrap_or("")))
            })
            .map(Type::class)
            .unwrap_or(Type::Unknown);
        let slot = b.slot(&format!("{prefix}{}", p.name));
        match fragment.parameters.iter().find(|x| x.name == p.name) {
            Some(given) => {
                if let Some(c) = b.expression(id, &p.name, &given.expression, scope, Some(&ty)) {
                    assigns.push((slot, c));
                }
            }
            None => b.errors.push(CompileError::param(
                id,
                &p.name,
                format!("Missing fragment parameter '{}'", p.name),
            )),
        }
        inner_scope.declare(&p.name, slot, ty);
    }
    for (name, _) in outputs {
        let declared = def_outputs(&def.nodes);
        if !declared.contains(name) {
            b.errors.push(CompileError::node(
                id,
                format!("Fragment '{}' has no output '{name}'", fragment.id),
            ));
        }
    }
    let body = &def.nodes[1..];
    let next = b.chain(body, inner_scope, Some(&inner), input_slot);
    b.set(at, Step::FragmentStart { assigns, next });
}

/// The outputs a fragment declares (its `FragmentOutputDefinition`s, on every branch).
fn def_outputs(nodes: &[Node]) -> Vec<String> {
    let mut all = Vec::new();
    builder::collect_nodes(nodes, &mut all);
    all.iter()
        .filter_map(|n| match n {
            Node::FragmentOutputDefinition { output_name, .. } => Some(output_name.clone()),
            _ => None,
        })
        .collect()
}
