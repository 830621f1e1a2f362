//! `decision-table`: an enricher returning the rows of a table that match a condition
//! evaluated per row with `#ROW` (`nussknacker-lite.md` §4.2, §1.3 `tabularDataDefinition`).

use std::sync::Arc;

use futures::future::BoxFuture;
use scenic_spel::types::Class;
use scenic_spel::{EvalEnv, Str, Type, Value};

use crate::graph::{Ctx, Failure, Param, ParamCompiler, Service, ServiceFactory};

pub struct Factory;

#[derive(Debug)]
struct DecisionTable {
    rows: Vec<Value>,
    condition: Param,
    row_slot: usize,
}

#[derive(serde::Deserialize)]
struct Table {
    columns: Vec<Column>,
    #[serde(default)]
    rows: Vec<Vec<Option<String>>>,
}

#[derive(serde::Deserialize)]
struct Column {
    name: String,
    #[serde(rename = "type")]
    ty: String,
}

fn column_class(name: &str) -> Option<Class> {
    let simple = name.rsplit('.').next().unwrap_or(name);
    match simple {
        "String" | "Boolean" | "Integer" | "Float" | "Double" | "BigInteger" | "BigDecimal"
        | "LocalDate" | "LocalDateTime" | "Long" => Class::by_name(simple),
        _ => None,
    }
}

fn cell(text: &str, class: Class) -> Result<Value, String> {
    let bad = || format!("'{text}' is not a valid {}", class.simple_name());
    Ok(match class {
        Class::String => Value::str(text),
        Class::Boolean => match text.trim().to_ascii_lowercase().as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(bad()),
        },
        Class::Integer => Value::Int(text.trim().parse().map_err(|_| bad())?),
        Class::Long => Value::Long(text.trim().parse().map_err(|_| bad())?),
        Class::Float => Value::Float(text.trim().parse().map_err(|_| bad())?),
        Class::Double => Value::Double(text.trim().parse().map_err(|_| bad())?),
        Class::BigDecimal => Value::big_dec(bigdecimal_parse(text).ok_or_else(bad)?),
        Class::BigInteger => {
            let v = scenic_spel::value::number::parse_number(text.trim(), false).ok_or_else(bad)?;
            scenic_spel::value::number::convert(&v, Class::BigInteger).map_err(|_| bad())?
        }
        other => {
            scenic_spel::methods::conversions::convert_string(text.trim(), other).ok_or_else(bad)?
        }
    })
}

fn bigdecimal_parse(text: &str) -> Option<scenic_spel::value::BigDecimal> {
    scenic_spel::value::number::parse_big_decimal(text.trim())
}

impl ServiceFactory for Factory {
    fn create(&self, pc: &mut dyn ParamCompiler) -> Option<(Arc<dyn Service>, Type)> {
        let Some(def) = pc.raw("Decision Table").cloned() else {
            pc.error(
                Some("Decision Table"),
                "Missing parameter 'Decision Table'".into(),
            );
            return None;
        };
        if def.language != "tabularDataDefinition" {
            pc.error(
                Some("Decision Table"),
                format!(
                    "Expected a table definition (language tabularDataDefinition), got '{}'",
                    def.language
                ),
            );
            return None;
        }
        let table: Table = match serde_json::from_str(&def.expression) {
            Ok(t) => t,
            Err(e) => {
                pc.error(
                    Some("Decision Table"),
                    format!("Invalid table definition: {e}"),
                );
                return None;
            }
        };
        let mut fields = Type::empty_fields();
        let mut classes = Vec::new();
        for c in &table.columns {
            match column_class(&c.ty) {
                Some(class) => {
                    fields.insert(Str::from(c.name.as_str()), Type::class(class));
                    classes.push(class);
                }
                None => {
                    pc.error(
                        Some("Decision Table"),
                        format!("Column '{}' has an unsupported type '{}'", c.name, c.ty),
                    );
                    return None;
                }
            }
        }
        let mut rows = Vec::new();
        for (ri, r) in table.rows.iter().enumerate() {
            let mut m = Value::map_with_capacity(table.columns.len());
            for (ci, c) in table.columns.iter().enumerate() {
                let v = match r.get(ci).cloned().flatten() {
                    None => Value::Null,
                    Some(t) if t.is_empty() => Value::Null,
                    Some(t) => match cell(&t, classes[ci]) {
                        Ok(v) => v,
                        Err(e) => {
                            pc.error(
                                Some("Decision Table"),
                                format!("Row {}, column '{}': {e}", ri + 1, c.name),
                            );
                            return None;
                        }
                    },
                };
                m.insert(Value::str(&c.name), v);
            }
            rows.push(Value::map(m));
        }
        let row_type = Type::record(fields);
        let (condition, slots) = pc.compile_with(
            "Match condition",
            Some(&Type::boolean()),
            &[("ROW", row_type.clone())],
        )?;
        let row_slot = *slots.first()?;
        Some((
            Arc::new(DecisionTable {
                rows,
                condition,
                row_slot,
            }),
            Type::list(row_type),
        ))
    }
}

impl Service for DecisionTable {
    fn invoke<'a>(
        &'a self,
        ctx: &'a Ctx,
        env: &'a EvalEnv,
    ) -> BoxFuture<'a, Result<Value, Failure>> {
        Box::pin(async move {
            let mut c = ctx.clone();
            let mut out = Vec::new();
            for row in &self.rows {
                if let Some(s) = c.get_mut(self.row_slot) {
                    *s = row.clone();
                }
                match self.condition.eval(&c, env)? {
                    Value::Bool(true) => out.push(row.clone()),
                    Value::Bool(false) | Value::Null => {}
                    other => {
                        return Err(Failure::NotBoolean {
                            condition: "Match condition",
                            class: other.class_name(),
                        })
                    }
                }
            }
            Ok(Value::list(out))
        })
    }
}
