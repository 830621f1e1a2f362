//! The error of a method call (`CallFn`) and of a method's typing function (`TypingFn`).
//!
//! Most failures are described by their message, worded like the reference's (tests compare
//! them); the variants name the failures callers may want to tell apart. Every variant prints
//! exactly the message the method used to return as a string.

use crate::eval::LimitError;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MethodError {
    /// A failure described by its message.
    #[error("{0}")]
    Failed(String),
    /// A limit of the evaluation's budget refused what the method was making (a string, a
    /// list, memory).
    #[error(transparent)]
    Limit(#[from] LimitError),
}

impl From<String> for MethodError {
    fn from(message: String) -> Self {
        MethodError::Failed(message)
    }
}

impl From<&str> for MethodError {
    fn from(message: &str) -> Self {
        MethodError::Failed(message.to_string())
    }
}

/// For the helpers that still report a plain message (argument extractors, conversions).
impl From<MethodError> for String {
    fn from(e: MethodError) -> Self {
        e.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::MethodError;
    use crate::eval::{EvalError, LimitError};

    /// Each variant prints what the method used to return as a string, and so does the
    /// evaluator's error made from it.
    #[test]
    fn messages_are_the_plain_strings_they_replace() {
        let limit = LimitError::StringTooLong { len: 9, limit: 4 };
        let cases = [
            (MethodError::from("argument is null"), "argument is null"),
            (
                MethodError::from(format!("expected a {}", "Map")),
                "expected a Map",
            ),
            (MethodError::from(limit.clone()), &*limit.to_string()),
        ];
        for (e, text) in cases {
            assert_eq!(e.to_string(), text);
            assert_eq!(String::from(e.clone()), text);
            assert_eq!(EvalError::from(e), EvalError::Failed(text.to_string()));
        }
    }
}
