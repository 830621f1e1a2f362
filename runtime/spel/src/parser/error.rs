use crate::lexer::{LexError, Span};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParseError {
    #[error(transparent)]
    Lex(#[from] LexError),
    #[error("Unexpected token '{found}', expected {expected}")]
    Unexpected {
        found: String,
        expected: &'static str,
        span: Span,
    },
    #[error("Unexpected end of expression, expected {expected}")]
    UnexpectedEnd { expected: &'static str, span: Span },
    #[error(
        "After parsing a valid expression, there is still more data in the expression: '{found}'"
    )]
    TrailingInput { found: String, span: Span },
    #[error("Expression is too deep: more than {limit} levels of nesting, operators or method calls in a row")]
    TooDeep { limit: usize, span: Span },
    #[error("Template expression '#{{' is not closed")]
    UnclosedTemplate { span: Span },
}

impl ParseError {
    pub fn span(&self) -> Span {
        match self {
            ParseError::Lex(e) => e.span(),
            ParseError::Unexpected { span, .. }
            | ParseError::UnexpectedEnd { span, .. }
            | ParseError::TrailingInput { span, .. }
            | ParseError::TooDeep { span, .. }
            | ParseError::UnclosedTemplate { span } => *span,
        }
    }
}

pub(crate) type ParseResult<T> = Result<T, ParseError>;
