//! Errors of schema parsing and violations of a schema by a value.

use std::fmt;

/// A scenario property that should hold a JSON Schema is missing or unusable. The messages are
/// the reference's (`JsonSchemaExtractor`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    #[error("Missing \"{property}\" property.")]
    Missing { property: String },
    #[error("Error at parsing \"{property}\": {details}")]
    Invalid { property: String, details: String },
}

impl SchemaError {
    pub fn missing(property: &str) -> SchemaError {
        SchemaError::Missing {
            property: property.to_string(),
        }
    }
}

/// One way a JSON document violates a schema (or cannot be converted by it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer of the offending value in the instance; `""` is the root.
    pub pointer: String,
    /// Human readable, e.g. `"abc" is not of type "integer"`.
    pub message: String,
}

impl Violation {
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Violation {
        Violation {
            pointer: pointer.into(),
            message: message.into(),
        }
    }

    /// `/a/0: message`, or `#: message` at the root: the form error bodies and error records use.
    pub fn located(&self) -> String {
        let at = if self.pointer.is_empty() {
            "#"
        } else {
            &self.pointer
        };
        format!("{at}: {}", self.message)
    }

    /// Every violation, [`located`](Violation::located), joined by `, `.
    pub fn describe_all(violations: &[Violation]) -> String {
        violations
            .iter()
            .map(Violation::located)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// `#/a/0: message` (the everit style), `#: message` at the root.
impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}: {}", self.pointer, self.message)
    }
}

/// Appends `key` to a JSON pointer, escaped.
pub(crate) fn push_pointer(pointer: &mut String, key: &str) {
    pointer.push('/');
    for c in key.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}
