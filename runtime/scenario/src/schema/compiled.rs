//! A parsed and compiled JSON Schema, and decoding input through it.

use scenic_spel::types::type_of_schema;
use scenic_spel::value::from_json_typed;
use scenic_spel::{Type, Value};
use serde_json::Value as Json;

use super::error::{
    cap_violations, cut, echo, SchemaError, Violation, MAX_ECHOED_VALUE, MAX_MESSAGE,
};
use super::walk::{self, Walker};

/// A scenario's `inputSchema` or `outputSchema`: the raw document, its compiled validator and
/// the static type of the values it describes (`spel.md` §16).
pub struct JsonSchema {
    raw: Json,
    validator: jsonschema::Validator,
    static_type: Type,
    /// Some sub-schema declares a `default` (else there is nothing to fill in).
    defaults: bool,
    /// Some sub-schema has `format: time` (those strings lose their offset when decoded).
    time_format: bool,
}

impl std::fmt::Debug for JsonSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonSchema")
            .field("raw", &self.raw)
            .field("static_type", &self.static_type)
            .finish_non_exhaustive()
    }
}

impl JsonSchema {
    /// Parses a scenario property holding a schema (`property_name` is e.g. `inputSchema`, for
    /// messages). Draft 7 unless `$schema` names another draft; `true` accepts anything.
    /// References outside the document are not fetched: a schema using them is an error.
    pub fn parse(property_name: &str, text: &str) -> Result<JsonSchema, SchemaError> {
        let invalid = |details: String| SchemaError::Invalid {
            property: property_name.to_string(),
            details,
        };
        let raw: Json = serde_json::from_str(text).map_err(|e| invalid(e.to_string()))?;
        JsonSchema::from_json(raw).map_err(invalid)
    }

    /// Compiles a schema document; the error is the validator's description.
    pub fn from_json(raw: Json) -> Result<JsonSchema, String> {
        if !raw.is_object() && !raw.is_boolean() {
            return Err(format!(
                "a schema must be an object or a boolean, found {raw}"
            ));
        }
        let validator = compile(&raw)?;
        let static_type = type_of_schema(&raw);
        let defaults = walk::any_object(&raw, |o| o.contains_key("default"));
        let time_format = walk::any_object(&raw, |o| {
            o.get("format").and_then(Json::as_str) == Some("time")
        });
        Ok(JsonSchema {
            raw,
            validator,
            static_type,
            defaults,
            time_format,
        })
    }

    /// The schema document as written.
    pub fn raw(&self) -> &Json {
        &self.raw
    }

    /// The static type of values decoded by this schema (`#input`'s type).
    pub fn static_type(&self) -> &Type {
        &self.static_type
    }

    /// Does the schema accept anything (`true`, `{}`)?
    pub fn accepts_anything(&self) -> bool {
        match &self.raw {
            Json::Bool(b) => *b,
            Json::Object(o) => o.keys().all(|k| k.starts_with('$') || is_annotation(k)),
            _ => false,
        }
    }

    /// The violations of the schema by `json`, in the validator's order: at most
    /// [`MAX_VIOLATIONS`](super::MAX_VIOLATIONS), then one entry counting the rest; quoted
    /// values are cut to [`MAX_ECHOED_VALUE`](super::MAX_ECHOED_VALUE) characters.
    pub fn validate(&self, json: &Json) -> Vec<Violation> {
        // Valid is the common case, and the boolean check skips building error reports.
        if self.validator.is_valid(json) {
            return Vec::new();
        }
        // Lazy: the violations past the cap are counted, their messages never built.
        cap_violations(
            self.validator
                .iter_errors(json)
                .map(|e| Violation::new(e.instance_path().as_str(), message_of(&e))),
        )
    }

    pub fn is_valid(&self, json: &Json) -> bool {
        self.validator.is_valid(json)
    }

    /// Request JSON → `#input`: fills in schema defaults (missing object properties that
    /// declare a `default`, at any depth), validates (every violation, each with its pointer),
    /// then converts to a value of [`static_type`](Self::static_type).
    pub fn decode_input(&self, mut json: Json) -> Result<Value, Vec<Violation>> {
        if self.defaults {
            self.apply_defaults(&mut json);
        }
        let violations = self.validate(&json);
        if !violations.is_empty() {
            return Err(violations);
        }
        if self.time_format {
            self.normalize_times(&mut json);
        }
        from_json_typed(&json, &self.static_type).map_err(|e| {
            let pointer = if e.path == "/" { String::new() } else { e.path };
            vec![Violation::new(pointer, cut(&e.message, MAX_MESSAGE))]
        })
    }

    /// Inserts the declared `default` of every object property missing in `json` (everit's
    /// `useDefaults`), recursively, also into the inserted defaults.
    pub fn apply_defaults(&self, json: &mut Json) {
        let root = &self.raw;
        let mut walker = Walker::new(root, |o: &walk::Obj, inst: &mut Json| {
            let (Some(props), Json::Object(map)) = (walk::properties(o), inst) else {
                return;
            };
            for (k, ps) in props {
                if !map.contains_key(k) {
                    if let Some(d) = walk::default_of(root, ps) {
                        map.insert(k.clone(), d.clone());
                    }
                }
            }
        });
        walker.walk(root, json);
    }

    /// `format: time` strings lose their offset: they become `LocalTime`s.
    fn normalize_times(&self, json: &mut Json) {
        let mut walker = Walker::new(&self.raw, |o: &walk::Obj, inst: &mut Json| {
            if o.get("format").and_then(Json::as_str) != Some("time") {
                return;
            }
            if let Json::String(s) = inst {
                let local = walk::strip_time_offset(s).len();
                s.truncate(local);
            }
        });
        walker.walk(&self.raw, json);
    }
}

/// The validator's message with the offending value it quotes cut to
/// [`MAX_ECHOED_VALUE`] characters, and the whole cut to [`MAX_MESSAGE`].
fn message_of(e: &jsonschema::ValidationError<'_>) -> String {
    let message = e.to_string();
    if message.chars().count() <= MAX_ECHOED_VALUE {
        return message;
    }
    // Messages quote the instance as compact JSON, as `Display` of a JSON value writes it.
    let quoted = e.instance().to_string();
    let message = match echo(&quoted) {
        std::borrow::Cow::Owned(short) if message.contains(&quoted) => {
            message.replacen(&quoted, &short, 1)
        }
        _ => message,
    };
    cut(&message, MAX_MESSAGE).into_owned()
}

/// The schema's draft: the one `$schema` names, else draft 7.
fn draft_of(raw: &Json) -> jsonschema::Draft {
    match jsonschema::Draft::Draft7.detect(raw) {
        jsonschema::Draft::Unknown => jsonschema::Draft::Draft7,
        known => known,
    }
}

/// The validator of a schema document, as every schema of a scenario is compiled.
pub(crate) fn compile(raw: &Json) -> Result<jsonschema::Validator, String> {
    jsonschema::options()
        .with_draft(draft_of(raw))
        .should_validate_formats(true)
        // `pattern` keywords on the linear-time engine: input cannot trigger backtracking.
        .with_pattern_options(jsonschema::PatternOptions::regex().size_limit(1 << 20))
        .build(raw)
        .map_err(|e| e.to_string())
}

/// Does `$ref` replace the keywords beside it (drafts 4 to 7), rather than add to them?
pub(crate) fn ref_siblings_ignored(raw: &Json) -> bool {
    matches!(
        draft_of(raw),
        jsonschema::Draft::Draft4 | jsonschema::Draft::Draft6 | jsonschema::Draft::Draft7
    )
}

/// Keywords that constrain nothing.
fn is_annotation(k: &str) -> bool {
    matches!(
        k,
        "title" | "description" | "default" | "examples" | "definitions" | "comment"
    )
}
