//! Parser: tokens to an AST, with Spring SpEL's grammar, precedence and non-associativity
//! (`spel.md` §2.1). Templates (`text #{expr} text`) are split here too.

mod ast;
mod error;
#[allow(clippy::module_inception)]
mod parser;

pub use ast::{BinOp, Expr, ExprKind, Literal, SelectKind, TemplatePart, UnOp};
pub use error::ParseError;
pub use parser::{parse, parse_limited, parse_template, parse_template_limited, MAX_DEPTH};
pub(crate) use parser::{STACK_GROWTH, STACK_RED_ZONE};
