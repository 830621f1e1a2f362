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

/// Violations reported for one document at most: the rest are counted in one final entry
/// (see [`cap_violations`]). A large body can violate a schema hundreds of thousands of times
/// (one per array item); listing them all made a 1 MB request answer with a 9 MB error body
/// and a poison Kafka record with an error record as large.
pub const MAX_VIOLATIONS: usize = 100;

/// Characters of an offending value (its JSON text) quoted in a violation message; longer
/// values are cut and end in `…`.
pub const MAX_ECHOED_VALUE: usize = 200;

/// Characters of one violation message at most (the quoted value is cut first; this bounds
/// messages that list many things, like the unexpected properties of a huge object).
pub const MAX_MESSAGE: usize = 500;

/// One way a JSON document violates a schema (or cannot be converted by it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer of the offending value in the instance; `""` is the root.
    pub pointer: String,
    /// Human readable, e.g. `"abc" is not of type "integer"`.
    pub message: String,
    /// The final entry of a capped list (`... and 12 more violations`): it has no location.
    omitted: bool,
}

impl Violation {
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Violation {
        Violation {
            pointer: pointer.into(),
            message: message.into(),
            omitted: false,
        }
    }

    /// The entry that stands for `count` violations left out of a capped list; its pointer is
    /// the root.
    pub fn omitted(count: usize) -> Violation {
        Violation {
            pointer: String::new(),
            message: format!("... and {count} more violations"),
            omitted: true,
        }
    }

    /// Is this the final entry of a capped list ([`Violation::omitted`])?
    pub fn is_omitted(&self) -> bool {
        self.omitted
    }

    /// `/a/0: message`, or `#: message` at the root: the form error bodies and error records use.
    /// The entry of a capped list is its message alone.
    pub fn located(&self) -> String {
        if self.omitted {
            return self.message.clone();
        }
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
        if self.omitted {
            return f.write_str(&self.message);
        }
        write!(f, "#{}: {}", self.pointer, self.message)
    }
}

/// The first [`MAX_VIOLATIONS`] violations, then one [`Violation::omitted`] entry counting
/// the rest (which are counted, not built: `violations` should be lazy).
pub fn cap_violations(violations: impl IntoIterator<Item = Violation>) -> Vec<Violation> {
    let mut iter = violations.into_iter();
    let mut out: Vec<Violation> = iter.by_ref().take(MAX_VIOLATIONS).collect();
    let rest = iter.count();
    if rest > 0 {
        out.push(Violation::omitted(rest));
    }
    out
}

/// `text` cut to `max` characters, with `…` when something was cut.
pub(crate) fn cut(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]).into(),
        None => text.into(),
    }
}

/// A value quoted in a message, cut to [`MAX_ECHOED_VALUE`] characters.
pub(crate) fn echo(text: &str) -> std::borrow::Cow<'_, str> {
    cut(text, MAX_ECHOED_VALUE)
}

/// Appends `key` to a JSON pointer, escaped (the one escaping, `scenic-spel`'s).
pub(crate) use scenic_spel::types::json_ref::push_segment as push_pointer;
