//! Lexer: expression text to tokens with byte spans.
//!
//! Follows Spring's `Tokenizer`: quotes are escaped by doubling, there are no backslash escapes,
//! and the two- and three-letter textual operators (`lt`, `div`, `not`, ...) are always operators.

mod error;
#[allow(clippy::module_inception)]
mod lexer;
mod token;

pub use error::LexError;
pub use lexer::tokenize;
pub use token::{Span, Token, TokenKind};
