//! The value a sink writes, in the two forms the Designer offers: `Raw editor` (one `Value`
//! expression, checked against the schema in `Value validation mode`) or the field editor (one
//! parameter per schema property, nested ones flattened as `parent.child`). Shared by the
//! `response` sink and the streaming `kafka` sink.

use std::sync::Arc;

use scenic_spel::{EvalEnv, Type, Value};

use crate::graph::{Ctx, Failure, Param, ParamCompiler};
use crate::schema::{JsonSchema, ValidationMode};

#[derive(Debug)]
enum Shape {
    Raw(Param),
    /// `flat`: an object schema whose fields have no dots, built straight into a record
    /// (decided at compile time: the schema walk is too slow for every response).
    Fields {
        schema: Arc<JsonSchema>,
        fields: Vec<(String, Option<Param>, Value)>,
        flat: bool,
    },
}

/// A compiled sink value.
#[derive(Debug)]
pub struct SinkValue {
    shape: Shape,
}

/// A boolean parameter that must be a literal (`Raw editor`); absent means `default`.
pub fn literal_bool(pc: &mut dyn ParamCompiler, name: &str, default: bool) -> bool {
    match pc
        .raw(name)
        .map(|e| e.expression.trim().to_ascii_lowercase())
    {
        None => default,
        Some(s) if s.is_empty() => default,
        Some(s) if s == "true" => true,
        Some(s) if s == "false" => false,
        Some(s) => {
            pc.error(Some(name), format!("'{s}' is not a boolean literal"));
            default
        }
    }
}

/// A string parameter that must be a literal (`Topic`), without its quotes; reports an error
/// and gives `None` when it is missing or not a literal.
pub fn literal_string(pc: &mut dyn ParamCompiler, name: &str) -> Option<String> {
    let text = pc.raw(name).map(|e| e.expression.trim().to_string());
    match text {
        None => {
            pc.error(Some(name), format!("Missing parameter '{name}'"));
            None
        }
        Some(t)
            if t.len() >= 2
                && ((t.starts_with('\'') && t.ends_with('\''))
                    || (t.starts_with('"') && t.ends_with('"')))
                && !t[1..t.len() - 1].contains(['\'', '"']) =>
        {
            Some(t[1..t.len() - 1].to_string())
        }
        Some(t) => {
            pc.error(
                Some(name),
                format!("'{t}' must be a string literal such as 'name'"),
            );
            None
        }
    }
}

fn validation_mode(pc: &mut dyn ParamCompiler) -> ValidationMode {
    match pc.raw("Value validation mode").map(|e| {
        e.expression
            .trim()
            .trim_matches(|c| c == '\'' || c == '"')
            .to_ascii_lowercase()
    }) {
        None => ValidationMode::Strict,
        Some(s) if s == "lax" => ValidationMode::Lax,
        Some(s) if s == "strict" || s.is_empty() => ValidationMode::Strict,
        Some(s) => {
            pc.error(
                Some("Value validation mode"),
                format!("Unknown validation mode '{s}': use 'strict' or 'lax'"),
            );
            ValidationMode::Strict
        }
    }
}

impl SinkValue {
    /// Compiles the sink's value parameters against `schema`. Without a schema only the raw
    /// form exists: the `Value` parameter, of any type.
    pub fn compile(
        pc: &mut dyn ParamCompiler,
        schema: Option<&Arc<JsonSchema>>,
    ) -> Option<SinkValue> {
        let Some(schema) = schema else {
            let value = pc.required("Value", None)?;
            return Some(SinkValue {
                shape: Shape::Raw(value),
            });
        };
        let raw = literal_bool(pc, "Raw editor", false);
        let shape = if raw {
            let mode = validation_mode(pc);
            let value = pc.required("Value", None)?;
            for problem in schema.check_output_type(value.static_type(), mode) {
                pc.error(Some("Value"), problem);
            }
            Shape::Raw(value)
        } else {
            let fields = schema.response_fields();
            let mut compiled = Vec::new();
            for f in fields {
                // Enum fields are unions of literals; any expression of the base type fits (the
                // schema check at encoding catches values outside the enum).
                let expected = if f.ty.is_unknown() {
                    None
                } else {
                    Some(f.ty.without_value())
                };
                let default = f
                    .default
                    .as_ref()
                    .map(scenic_spel::value::from_json_untyped)
                    .unwrap_or(Value::Null);
                let p = match pc.raw(&f.name) {
                    Some(e) if !e.expression.trim().is_empty() => {
                        match pc.compile(&f.name, expected.as_ref()) {
                            Some(p) => Some(p),
                            None => return None,
                        }
                    }
                    _ => None,
                };
                compiled.push((f.name.clone(), p, default));
            }
            let flat =
                !schema.is_single_value() && compiled.iter().all(|(n, _, _)| !n.contains('.'));
            Shape::Fields {
                schema: schema.clone(),
                fields: compiled,
                flat,
            }
        };
        Some(SinkValue { shape })
    }

    /// The static type of the raw form's value (unknown for the field editor).
    pub fn static_type(&self) -> Type {
        match &self.shape {
            Shape::Raw(p) => p.static_type().clone(),
            Shape::Fields { .. } => Type::Unknown,
        }
    }

    /// Evaluates the value for one context.
    pub fn eval(&self, ctx: &Ctx, env: &EvalEnv) -> Result<Value, Failure> {
        match &self.shape {
            Shape::Raw(p) => p.eval(ctx, env),
            Shape::Fields {
                schema,
                fields,
                flat,
            } => {
                // Flat object schemas (the common case): the record straight from the fields.
                if *flat {
                    let mut m = Value::map_with_capacity(fields.len());
                    for (name, p, default) in fields {
                        let v = match p {
                            Some(p) => p.eval(ctx, env)?,
                            None => default.clone(),
                        };
                        m.insert(Value::str(name), v);
                    }
                    return Ok(Value::map(m));
                }
                let mut values = Vec::with_capacity(fields.len());
                for (name, p, default) in fields {
                    let v = match p {
                        Some(p) => p.eval(ctx, env)?,
                        None => default.clone(),
                    };
                    values.push((name.clone(), v));
                }
                Ok(schema.assemble_response(&values))
            }
        }
    }
}
