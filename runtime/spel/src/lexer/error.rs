use super::Span;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LexError {
    #[error("Non-terminating quoted string")]
    UnterminatedString { span: Span },
    #[error("Unexpected character '{ch}'")]
    UnexpectedChar { ch: char, span: Span },
    #[error("The value '{text}' cannot be parsed as {kind}")]
    InvalidNumber {
        text: String,
        kind: &'static str,
        span: Span,
    },
}

impl LexError {
    pub fn span(&self) -> Span {
        match self {
            LexError::UnterminatedString { span }
            | LexError::UnexpectedChar { span, .. }
            | LexError::InvalidNumber { span, .. } => *span,
        }
    }
}

pub(crate) type LexResult<T> = Result<T, LexError>;
