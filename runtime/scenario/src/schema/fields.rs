//! The field-editor parameters of the `response` sink: one per property of the output schema,
//! nested object properties flattened as `parent.child` (the reference's
//! `JsonSchemaBasedParameter`), and the inverse: building the result value from them.

use indexmap::IndexMap;
use scenic_spel::{Type, Value};
use serde_json::Value as Json;

use super::check::{describe_problems, ValidationMode};
use super::compiled::JsonSchema;
use super::error::push_pointer;
use super::walk;

/// How deep nested object properties are flattened (a guard for absurd schemas).
const MAX_FIELD_DEPTH: usize = 64;
/// How many parameters a schema may produce (a guard for schemas that reuse one definition
/// many times over at many levels).
const MAX_FIELDS: usize = 10_000;

/// One parameter of the `response` sink in field-editor mode.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldParam {
    /// `a`, `parent.child` for nested object properties, or `Value` for a schema that is not
    /// an object with properties.
    pub name: String,
    /// The expected type of the parameter's expression.
    pub ty: Type,
    /// In its object's `required` list (the root `Value` parameter is optional, as in the
    /// reference).
    pub required: bool,
    /// The property's `default` (JSON; the editor shows it as an expression).
    pub default: Option<Json>,
    /// JSON pointer of the parameter's sub-schema inside the output schema.
    pub pointer: String,
}

impl JsonSchema {
    /// The `response` sink's parameters in field-editor mode, in the schema's property order.
    pub fn response_fields(&self) -> Vec<FieldParam> {
        let mut out = Vec::new();
        let mut expanding = Vec::new();
        self.collect_fields(
            self.raw(),
            String::new(),
            None,
            false,
            None,
            &mut expanding,
            &mut out,
        );
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn collect_fields(
        &self,
        schema: &Json,
        loc: String,
        name: Option<String>,
        required: bool,
        default: Option<Json>,
        expanding: &mut Vec<String>,
        out: &mut Vec<FieldParam>,
    ) {
        if out.len() >= MAX_FIELDS {
            return;
        }
        let root = self.raw();
        let resolved = walk::resolve_at(root, schema, loc.clone());
        let object = resolved.as_ref().and_then(|(s, l)| {
            let o = s.as_object()?;
            let props = walk::properties(o).filter(|p| !p.is_empty())?;
            let flatten = walk::is_object_schema(o)
                && !expanding.contains(l)
                && expanding.len() < MAX_FIELD_DEPTH;
            flatten.then_some((o, props, l))
        });
        let Some((o, props, l)) = object else {
            let pointer = resolved.map(|(_, l)| l).unwrap_or(loc);
            out.push(FieldParam {
                name: name.unwrap_or_else(|| "Value".to_string()),
                ty: self.type_at(&pointer),
                required,
                default,
                pointer,
            });
            return;
        };
        let req = walk::required(o);
        expanding.push(l.clone());
        for (k, ps) in props {
            let mut child = l.clone();
            push_pointer(&mut child, "properties");
            push_pointer(&mut child, k);
            let child_name = match &name {
                Some(n) => format!("{n}.{k}"),
                None => k.clone(),
            };
            self.collect_fields(
                ps,
                child,
                Some(child_name),
                req.contains(&k.as_str()),
                walk::default_of(root, ps).cloned(),
                expanding,
                out,
            );
        }
        expanding.pop();
    }

    /// Checks a field-editor parameter's type (lax mode, as the reference does for field
    /// editors); nothing when it fits, else one message.
    pub fn check_field_type(&self, field: &FieldParam, t: &Type) -> Vec<String> {
        let path = (!field.pointer.is_empty()).then_some(field.name.as_str());
        let problems = self.problems_at(t, ValidationMode::Lax, &field.pointer, path);
        if problems.is_empty() {
            Vec::new()
        } else {
            vec![describe_problems(&problems)]
        }
    }

    /// Does the field editor show the schema as a single `Value` parameter?
    pub fn is_single_value(&self) -> bool {
        let root = self.raw();
        !walk::resolve(root, root)
            .and_then(Json::as_object)
            .is_some_and(|o| {
                walk::is_object_schema(o) && walk::properties(o).is_some_and(|p| !p.is_empty())
            })
    }

    /// The response value from field-editor parameter values: the single `Value` itself, or
    /// the record of [`assemble_fields`].
    pub fn assemble_response(&self, fields: &[(String, Value)]) -> Value {
        match fields {
            [(_, v)] if self.is_single_value() => v.clone(),
            _ => assemble_fields(fields),
        }
    }
}

enum Node {
    Leaf(Value),
    Branch(IndexMap<String, Node>),
}

/// Builds the nested record from flattened `parent.child` names, in insertion order.
pub fn assemble_fields(fields: &[(String, Value)]) -> Value {
    let mut top: IndexMap<String, Node> = IndexMap::new();
    for (name, value) in fields {
        let mut parts: Vec<&str> = name.split('.').collect();
        let last = parts.pop().unwrap_or_default();
        let mut level = &mut top;
        for p in parts {
            let entry = level
                .entry(p.to_string())
                .or_insert_with(|| Node::Branch(IndexMap::new()));
            if let Node::Leaf(_) = entry {
                *entry = Node::Branch(IndexMap::new());
            }
            level = match entry {
                Node::Branch(m) => m,
                Node::Leaf(_) => return Value::Null,
            };
        }
        level.insert(last.to_string(), Node::Leaf(value.clone()));
    }
    to_value(top)
}

fn to_value(level: IndexMap<String, Node>) -> Value {
    let mut m = Value::map_with_capacity(level.len());
    for (k, n) in level {
        let v = match n {
            Node::Leaf(v) => v,
            Node::Branch(b) => to_value(b),
        };
        m.insert(Value::str(k), v);
    }
    Value::map(m)
}
