#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvalError {
    #[error("Method call: Attempted to call method {name}() on null context object")]
    MethodOnNull { name: String },
    #[error("Property or field '{name}' cannot be found on null")]
    PropertyOnNull { name: String },
    #[error("Cannot index into a null value")]
    IndexOnNull,
    #[error("The collection has '{len}' elements, index '{index}' is invalid")]
    IndexOutOfBounds { index: i64, len: usize },
    #[error("Cannot index into a value of type '{class}' with an index of type '{index_class}'")]
    BadIndex {
        class: &'static str,
        index_class: &'static str,
    },
    #[error("Projection or selection is not supported on type '{class}'")]
    NotIterable { class: &'static str },
    #[error("Result of selection criteria is not boolean")]
    SelectionNotBoolean,
    #[error("Value '{value}' of type '{class}' cannot be used as a boolean")]
    NotBoolean { value: String, class: &'static str },
    #[error("Operator '{op}' not supported between objects of type '{left}' and '{right}'")]
    Operator {
        op: &'static str,
        left: &'static str,
        right: &'static str,
    },
    #[error("Method {name} cannot be found on type {class}")]
    NoMethod { name: String, class: &'static str },
    #[error("Variable '#this' is not available here")]
    NoThis,
    /// A limit of the evaluation's budget (size, memory, deadline) was reached.
    #[error(transparent)]
    Limit(#[from] super::budget::LimitError),
    #[error("{0}")]
    Failed(String),
}

/// A method's failure keeps its message. A limit a method ran into stays `Failed` too (what
/// callers have always seen), unless the evaluation's budget itself is spent, which the
/// evaluator checks first.
impl From<crate::methods::MethodError> for EvalError {
    fn from(e: crate::methods::MethodError) -> Self {
        EvalError::Failed(e.to_string())
    }
}

pub(crate) type EvalResult<T> = Result<T, EvalError>;
