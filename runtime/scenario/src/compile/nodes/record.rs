//! `VariableBuilder` (a record variable).

use scenic_spel::{Str, Type, Value};

use super::{Here, Then};
use crate::compile::builder::{Builder, VarScope};
use crate::graph::Step;
use crate::model::Field;

/// A record variable: its fields in order, each seeing the ones before it.
pub(super) fn compile(
    b: &mut Builder<'_>,
    here: &Here<'_, '_>,
    scope: &mut VarScope,
    var_name: &str,
    fields: &[Field],
) -> Then {
    let Here { at, id, frame, .. } = *here;
    let slot = b.var_slot(frame, var_name);
    let mut ftypes = Type::empty_fields();
    let mut compiled = Vec::new();
    let mut field_scope = scope.clone();
    for f in fields {
        let p = b.expression(id, &f.name, &f.expression, &field_scope, None);
        if let Some(p) = p {
            ftypes.insert(Str::from(f.name.as_str()), p.static_type().without_value());
            compiled.push((Value::str(&f.name), p));
        }
        field_scope.declare(var_name, slot, Type::record(ftypes.clone()));
    }
    scope.declare(var_name, slot, Type::record(ftypes));
    b.set(
        at,
        Step::Record {
            slot,
            fields: compiled,
            next: None,
        },
    );
    Then::Next
}
