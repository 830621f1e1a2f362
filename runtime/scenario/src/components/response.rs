//! `response`: the request-response sink (`nussknacker-lite.md` §4.3). With `Raw editor` the
//! `Value` parameter is the response; otherwise one parameter per `outputSchema` property
//! (nested ones flattened as `parent.child`) builds it.

use std::sync::Arc;

use scenic_spel::{EvalEnv, Type, Value};

use super::{Sink, SinkFactory};
use crate::compile::{Param, ParamCompiler};
use crate::interp::Ctx;
use crate::schema::{JsonSchema, ValidationMode};

pub struct Factory;

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

#[derive(Debug)]
struct Response {
    shape: Shape,
}

/// A boolean parameter that must be a literal (`Raw editor`); absent means `default`.
fn literal_bool(pc: &mut dyn ParamCompiler, name: &str, default: bool) -> bool {
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

impl SinkFactory for Factory {
    fn create(&self, pc: &mut dyn ParamCompiler) -> Option<Arc<dyn Sink>> {
        let Some(schema) = pc.output_schema() else {
            pc.error(
                None,
                "The response sink needs the scenario's \"outputSchema\" property".into(),
            );
            return None;
        };
        let raw = literal_bool(pc, "Raw editor", false);
        let shape = if raw {
            let mode = validation_mode(pc);
            let value = pc.required("Value", None)?;
            check(pc, &schema, value.static_type(), mode, "Value");
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
        Some(Arc::new(Response { shape }))
    }
}

fn check(
    pc: &mut dyn ParamCompiler,
    schema: &JsonSchema,
    t: &Type,
    mode: ValidationMode,
    param: &str,
) {
    for problem in schema.check_output_type(t, mode) {
        pc.error(Some(param), problem);
    }
}

impl Sink for Response {
    fn emit(&self, ctx: &Ctx, env: &EvalEnv) -> Result<Option<Value>, String> {
        match &self.shape {
            Shape::Raw(p) => p.eval(ctx, env).map(Some),
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
                    return Ok(Some(Value::map(m)));
                }
                let mut values = Vec::with_capacity(fields.len());
                for (name, p, default) in fields {
                    let v = match p {
                        Some(p) => p.eval(ctx, env)?,
                        None => default.clone(),
                    };
                    values.push((name.clone(), v));
                }
                Ok(Some(schema.assemble_response(&values)))
            }
        }
    }
}
