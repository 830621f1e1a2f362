//! Compile-time check of a result's static type against an output schema (the reference's
//! `JsonSchemaOutputValidator`, with its `strict` and `lax` modes and its messages).

use std::cell::Cell;
use std::fmt;
use std::str::FromStr;

use scenic_spel::types::type_of_schema;
use scenic_spel::{Class, Type};
use serde_json::Value as Json;

use super::compiled::JsonSchema;
use super::error::push_pointer;
use super::walk::{self, types_of, MAX_HOPS};

/// The `response` sink's `Value validation mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValidationMode {
    /// Every declared field present, no undeclared fields, no `Unknown` types.
    Strict,
    /// Only required fields must be present; `Unknown` is accepted.
    Lax,
}

impl ValidationMode {
    /// `strict`/`lax`, also as the SpEL string literal the parameter holds (`'strict'`).
    pub fn parse(s: &str) -> Option<ValidationMode> {
        let s = s.trim();
        let s = s
            .strip_prefix('\'')
            .and_then(|x| x.strip_suffix('\''))
            .or_else(|| s.strip_prefix('"').and_then(|x| x.strip_suffix('"')))
            .unwrap_or(s);
        match s {
            "strict" => Some(ValidationMode::Strict),
            "lax" => Some(ValidationMode::Lax),
            _ => None,
        }
    }
}

impl FromStr for ValidationMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ValidationMode::parse(s).ok_or_else(|| format!("Unknown validation mode: {s}"))
    }
}

/// One reason a static type does not fit the output schema. Paths are dotted field paths
/// (`address.city`); `None` is the value itself.
#[derive(Debug, Clone, PartialEq)]
pub enum OutputProblem {
    Type {
        path: Option<String>,
        actual: Type,
        /// The schema's type, displayed.
        expected: String,
    },
    Missing {
        path: String,
    },
    Redundant {
        path: String,
    },
}

impl fmt::Display for OutputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutputProblem::Type {
                path,
                actual,
                expected,
            } => {
                if let Some(p) = path {
                    write!(f, "path '{p}' ")?;
                }
                write!(f, "actual: '{actual}' expected: '{expected}'")
            }
            OutputProblem::Missing { path } | OutputProblem::Redundant { path } => {
                f.write_str(path)
            }
        }
    }
}

/// The reference's message for a list of problems (`OutputValidatorErrorsMessageFormatter`):
/// `Provided value does not match scenario output - errors:\nIncorrect type: path 'a' actual:
/// 'String' expected: 'Long'., Missing fields: b.`
pub fn describe_problems(problems: &[OutputProblem]) -> String {
    let group = |title: &str, pick: &dyn Fn(&OutputProblem) -> bool| -> Option<String> {
        let items: Vec<String> = problems
            .iter()
            .filter(|p| pick(p))
            .map(|p| p.to_string())
            .collect();
        (!items.is_empty()).then(|| format!("{title}: {}.", items.join(", ")))
    };
    let groups: Vec<String> = [
        group("Incorrect type", &|p| {
            matches!(p, OutputProblem::Type { .. })
        }),
        group("Missing fields", &|p| {
            matches!(p, OutputProblem::Missing { .. })
        }),
        group("Redundant fields", &|p| {
            matches!(p, OutputProblem::Redundant { .. })
        }),
    ]
    .into_iter()
    .flatten()
    .collect();
    format!(
        "Provided value does not match scenario output - errors:\n{}",
        groups.join(", ")
    )
}

impl JsonSchema {
    /// Can a value of static type `t` satisfy the schema? Returns nothing when it can, else
    /// one message in the reference's form (see [`describe_problems`]).
    pub fn check_output_type(&self, t: &Type, mode: ValidationMode) -> Vec<String> {
        let problems = self.output_problems(t, mode);
        if problems.is_empty() {
            Vec::new()
        } else {
            vec![describe_problems(&problems)]
        }
    }

    /// The problems of [`check_output_type`](Self::check_output_type), one by one.
    pub fn output_problems(&self, t: &Type, mode: ValidationMode) -> Vec<OutputProblem> {
        self.problems_at(t, mode, "", None)
    }

    /// Checks against the sub-schema at a JSON pointer of the document (a field-editor
    /// parameter's schema, see `FieldParam::pointer`); paths start with `path`.
    pub(crate) fn problems_at(
        &self,
        t: &Type,
        mode: ValidationMode,
        pointer: &str,
        path: Option<&str>,
    ) -> Vec<OutputProblem> {
        let root = self.raw();
        let Some(schema) = (if pointer.is_empty() {
            Some(root)
        } else {
            root.pointer(pointer)
        }) else {
            return Vec::new();
        };
        let checker = Checker {
            root,
            mode,
            budget: Cell::new(STEP_BUDGET),
        };
        let mut out = Vec::new();
        checker.check(t, schema, pointer.to_string(), path, &mut out, 0);
        out.into_iter()
            .map(|p| match p {
                Problem::Type { path, actual, loc } => OutputProblem::Type {
                    path,
                    actual,
                    expected: self.type_at(&loc).to_string(),
                },
                Problem::Missing(path) => OutputProblem::Missing { path },
                Problem::Redundant(path) => OutputProblem::Redundant { path },
            })
            .collect()
    }

    /// The static type of the sub-schema at a JSON pointer of the document (`$ref`s inside
    /// it still resolve against the whole document).
    pub(crate) fn type_at(&self, pointer: &str) -> Type {
        let root = self.raw();
        match root {
            Json::Object(o) if !pointer.is_empty() => {
                let mut doc = o.clone();
                doc.insert("$ref".to_string(), Json::String(format!("#{pointer}")));
                type_of_schema(&Json::Object(doc))
            }
            Json::Bool(false) => Type::Null,
            _ => type_of_schema(root),
        }
    }
}

/// A problem with the schema location of the expected type; displayed types are computed
/// only for the problems that are reported.
enum Problem {
    Type {
        path: Option<String>,
        actual: Type,
        loc: String,
    },
    Missing(String),
    Redundant(String),
}

/// Schema steps one check may take (guards against combinator blow-up in absurd schemas;
/// the rest is then accepted, and the runtime validation has the last word).
const STEP_BUDGET: usize = 1_000_000;

struct Checker<'a> {
    root: &'a Json,
    mode: ValidationMode,
    budget: Cell<usize>,
}

fn join(path: Option<&str>, key: &str) -> String {
    match path {
        Some(p) => format!("{p}.{key}"),
        None => key.to_string(),
    }
}

fn loc_join(loc: &str, keys: &[&str]) -> String {
    let mut l = loc.to_string();
    for k in keys {
        push_pointer(&mut l, k);
    }
    l
}

fn is_temporal(c: Class) -> bool {
    matches!(
        c,
        Class::LocalDate
            | Class::LocalTime
            | Class::LocalDateTime
            | Class::Instant
            | Class::OffsetDateTime
            | Class::ZonedDateTime
    )
}

/// The JSON type name of a value's JSON encoding.
fn json_kind(j: &Json) -> &'static str {
    match j {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

fn kind_of_type(t: &Type) -> Option<&'static str> {
    let c = t.base_class()?;
    Some(match c {
        Class::String | Class::Character => "string",
        c if is_temporal(c) => "string",
        Class::Boolean => "boolean",
        Class::Map => "object",
        Class::List | Class::Set | Class::Array | Class::Collection => "array",
        c if c.is_subclass_of(Class::Number) => "number",
        _ => return None,
    })
}

impl Checker<'_> {
    fn fits(&self, t: &Type, schema: &Json, loc: &str, path: Option<&str>, hops: usize) -> bool {
        let mut tmp = Vec::new();
        self.check(t, schema, loc.to_string(), path, &mut tmp, hops);
        tmp.is_empty()
    }

    fn type_error(t: &Type, loc: &str, path: Option<&str>, out: &mut Vec<Problem>) {
        out.push(Problem::Type {
            path: path.map(str::to_string),
            actual: t.clone(),
            loc: loc.to_string(),
        });
    }

    fn check(
        &self,
        t: &Type,
        schema: &Json,
        loc: String,
        path: Option<&str>,
        out: &mut Vec<Problem>,
        hops: usize,
    ) {
        let left = self.budget.get();
        if hops > MAX_HOPS || left == 0 {
            return;
        }
        self.budget.set(left - 1);
        let strict = self.mode == ValidationMode::Strict;
        let Some((schema, loc)) = walk::resolve_at(self.root, schema, loc) else {
            return;
        };
        // `{}` and `true` accept any value, so any type fits them (Unknown included).
        if matches!(schema, Json::Bool(true)) || schema.as_object().is_some_and(|o| o.is_empty()) {
            return;
        }
        if matches!(t, Type::Unknown) || t.is_class(Class::Object) {
            if strict {
                Self::type_error(t, &loc, path, out);
            }
            return;
        }
        let o = match schema {
            Json::Object(o) => o,
            Json::Bool(true) => return,
            _ => return Self::type_error(t, &loc, path, out),
        };
        if let Type::Union(members) = t {
            let ok = if strict {
                members
                    .iter()
                    .all(|m| self.fits(m, schema, &loc, path, hops + 1))
            } else {
                members
                    .iter()
                    .any(|m| self.fits(m, schema, &loc, path, hops + 1))
            };
            if !ok {
                Self::type_error(t, &loc, path, out);
            }
            return;
        }
        let allowed = o
            .get("enum")
            .and_then(Json::as_array)
            .map(|e| e.iter().collect::<Vec<_>>())
            .or_else(|| o.get("const").map(|c| vec![c]));
        if let Some(allowed) = allowed {
            if !self.enum_fits(t, &allowed) {
                Self::type_error(t, &loc, path, out);
            }
            return;
        }
        let types = types_of(o);
        if types.is_empty() {
            if o.contains_key("properties") {
                return self.check_as("object", t, o, &loc, path, out);
            }
            for key in ["anyOf", "oneOf"] {
                if let Some(members) = o.get(key).and_then(Json::as_array) {
                    let ok = members.iter().enumerate().any(|(i, m)| {
                        let l = loc_join(&loc, &[key, &i.to_string()]);
                        self.fits(t, m, &l, path, hops + 1)
                    });
                    if !ok {
                        Self::type_error(t, &loc, path, out);
                    }
                    return;
                }
            }
            if let Some(members) = o.get("allOf").and_then(Json::as_array) {
                for (i, m) in members.iter().enumerate() {
                    let l = loc_join(&loc, &["allOf", &i.to_string()]);
                    self.check(t, m, l, path, out, hops + 1);
                }
                return;
            }
            if o.contains_key("items") {
                return self.check_as("array", t, o, &loc, path, out);
            }
            if o.contains_key("additionalProperties") {
                return self.check_as("object", t, o, &loc, path, out);
            }
            return;
        }
        if t.is_null() {
            if !types.contains(&"null") {
                Self::type_error(t, &loc, path, out);
            }
            return;
        }
        let non_null: Vec<&str> = types.into_iter().filter(|t| *t != "null").collect();
        match non_null.as_slice() {
            [one] => self.check_as(one, t, o, &loc, path, out),
            several => {
                let ok = several.iter().any(|name| {
                    let mut tmp = Vec::new();
                    self.check_as(name, t, o, &loc, path, &mut tmp);
                    tmp.is_empty()
                });
                if !ok {
                    Self::type_error(t, &loc, path, out);
                }
            }
        }
    }

    /// A value of type `t` can only be one of the listed values.
    fn enum_fits(&self, t: &Type, allowed: &[&Json]) -> bool {
        if t.is_null() {
            return allowed.iter().any(|a| a.is_null());
        }
        if let Some(v) = t.known_value() {
            let j = scenic_spel::value::to_json(v);
            return allowed
                .iter()
                .any(|a| **a == j || (a.is_number() && j.is_number() && a.as_f64() == j.as_f64()));
        }
        match kind_of_type(t) {
            Some(kind) => allowed.iter().any(|a| json_kind(a) == kind),
            None => !matches!(self.mode, ValidationMode::Strict),
        }
    }

    fn check_as(
        &self,
        name: &str,
        t: &Type,
        o: &walk::Obj,
        loc: &str,
        path: Option<&str>,
        out: &mut Vec<Problem>,
    ) {
        let class = t.base_class();
        let ok = match name {
            "object" => match t {
                Type::Record(fields) => {
                    let fields: Vec<(&str, &Type)> =
                        fields.iter().map(|(k, v)| (k.as_str(), v)).collect();
                    return self.check_record(&fields, o, loc, path, out);
                }
                _ if class == Some(Class::Map) => {
                    return self.check_map(t, o, loc, path, out);
                }
                _ => false,
            },
            "array" => match t.element_type() {
                Some(elem) => match o.get("items") {
                    Some(items @ (Json::Object(_) | Json::Bool(_))) => {
                        let l = loc_join(loc, &["items"]);
                        self.fits(&elem, items, &l, path, 0)
                    }
                    _ => true,
                },
                None => false,
            },
            "string" => {
                let format = o.get("format").and_then(Json::as_str);
                class.is_some_and(|c| match (format, c) {
                    (_, Class::String) => true,
                    (Some("date-time"), c) => matches!(
                        c,
                        Class::ZonedDateTime | Class::OffsetDateTime | Class::Instant
                    ),
                    (Some("date"), c) => c == Class::LocalDate,
                    (Some("time"), c) => c == Class::LocalTime,
                    (_, Class::Character) => true,
                    (_, c) => is_temporal(c),
                })
            }
            "integer" => class.is_some_and(|c| {
                matches!(
                    c,
                    Class::Byte | Class::Short | Class::Integer | Class::Long | Class::BigInteger
                )
            }),
            "number" => t.is_number(),
            "boolean" => class == Some(Class::Boolean),
            "null" => t.is_null(),
            _ => true,
        };
        if !ok {
            Self::type_error(t, loc, path, out);
        }
    }

    fn check_record(
        &self,
        fields: &[(&str, &Type)],
        o: &walk::Obj,
        loc: &str,
        path: Option<&str>,
        out: &mut Vec<Problem>,
    ) {
        let strict = self.mode == ValidationMode::Strict;
        let empty = walk::Obj::new();
        let props = walk::properties(o).unwrap_or(&empty);
        let additional = o.get("additionalProperties");
        let patterns = o.get("patternProperties").is_some_and(Json::is_object);
        let additional_loc = loc_join(loc, &["additionalProperties"]);
        let check_extra = |k: &str, ft: &Type, out: &mut Vec<Problem>| {
            let p = join(path, k);
            match additional {
                Some(s @ Json::Object(_)) => {
                    self.check(ft, s, additional_loc.clone(), Some(&p), out, 0)
                }
                _ if patterns => {}
                Some(Json::Bool(false)) => out.push(Problem::Redundant(p)),
                // Open objects: undeclared fields are fine, but strict mode wants none (when
                // the schema declares properties at all).
                _ if strict && !props.is_empty() => out.push(Problem::Redundant(p)),
                _ => {}
            }
        };
        if props.is_empty() {
            for (k, ft) in fields {
                check_extra(k, ft, out);
            }
            return;
        }
        let required = walk::required(o);
        let mut missing: Vec<String> = props
            .iter()
            .filter(|(k, ps)| {
                let needed = strict
                    || (required.contains(&k.as_str())
                        && walk::default_of(self.root, ps).is_none()
                        && !walk::is_nullable(self.root, ps));
                needed && !fields.iter().any(|(f, _)| f == k)
            })
            .map(|(k, _)| join(path, k))
            .collect();
        missing.sort();
        out.extend(missing.into_iter().map(Problem::Missing));
        for (k, ft) in fields {
            let Some(ps) = props.get(*k) else {
                check_extra(k, ft, out);
                continue;
            };
            let p = join(path, k);
            let l = loc_join(loc, &["properties", k]);
            if ft.is_null() {
                // A null optional field is left out of the output; a required one becomes its
                // default when it has one.
                let is_required = required.contains(k);
                let ok = walk::is_nullable(self.root, ps)
                    || (!is_required && !strict)
                    || (is_required && walk::default_of(self.root, ps).is_some());
                if ok {
                    continue;
                }
            }
            self.check(ft, ps, l, Some(&p), out, 0);
        }
    }

    fn check_map(
        &self,
        t: &Type,
        o: &walk::Obj,
        loc: &str,
        path: Option<&str>,
        out: &mut Vec<Problem>,
    ) {
        let has_props = walk::properties(o).is_some_and(|p| !p.is_empty());
        if has_props {
            // A map's keys are unknown at compile time: only lax mode accepts it.
            if self.mode == ValidationMode::Strict {
                Self::type_error(t, loc, path, out);
            }
            return;
        }
        if let Some(s @ Json::Object(_)) = o.get("additionalProperties") {
            let p = join(path, "value");
            let l = loc_join(loc, &["additionalProperties"]);
            self.check(&t.param(1), s, l, Some(&p), out, 0);
        }
    }
}
