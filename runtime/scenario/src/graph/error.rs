//! Why a node did not pass a context on: typed, so that callers read what they need (the
//! failing expression's text for the streaming error record) instead of parsing messages.
//! `Display` gives the messages the error bodies and records have always carried.

use std::sync::Arc;

use scenic_spel::eval::LimitError;
use scenic_spel::RuntimeError;

use crate::schema::Violation;

/// What went wrong at a node, for one context.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Failure {
    /// A parameter's expression failed; the message names the expression as the reference does.
    #[error("{error}")]
    Expression {
        /// The parameter (or field) the expression belongs to.
        parameter: Arc<str>,
        #[source]
        error: RuntimeError,
    },
    /// A filter's or choice's condition gave something else than a boolean.
    #[error("{condition} returned {class} instead of a boolean")]
    NotBoolean {
        /// What was evaluated: "Filter expression" or "Choice condition".
        condition: &'static str,
        /// The class of what it returned.
        class: &'static str,
    },
    /// A limit of the invocation's budget (memory, a value's size, the deadline).
    #[error(transparent)]
    Limit(#[from] LimitError),
    /// The budget ran out inside a custom node that gave no failure of its own.
    #[error("The invocation ran out of its budget")]
    OutOfBudget,
    /// A sink's value does not match the schema it is written with (`target` names it, e.g.
    /// "topic 'orders'").
    #[error("Value does not match the schema of {target}: {}", Violation::describe_all(.violations))]
    Output {
        target: String,
        violations: Vec<Violation>,
    },
    /// A component's own failure, by its message.
    #[error("{0}")]
    Component(String),
}

impl Failure {
    /// The failing expression's text, when an expression failed.
    pub fn expression(&self) -> Option<&str> {
        match self {
            Failure::Expression { error, .. } => Some(&error.expression),
            _ => None,
        }
    }
}

/// A failure of one context at one node.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{failure}")]
pub struct NodeError {
    pub node_id: Arc<str>,
    pub failure: Failure,
}

impl NodeError {
    /// The message the error bodies and records carry.
    pub fn message(&self) -> String {
        self.failure.to_string()
    }
}
