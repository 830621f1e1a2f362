//! Scenic's expression language: the typed SpEL dialect of Nussknacker scenarios.
//!
//! Text goes through four stages, each a module with its own error enum:
//! `lexer` (tokens) → `parser` (AST) → `typer` (types checked, names resolved, a node tree
//! built) → `eval` (the node tree run against variable slots). [`compile`] runs the first three
//! once; [`Expression::eval`] runs the last one as often as needed.
//!
//! This crate knows nothing of scenarios, HTTP or Kafka.
//!
//! ```
//! use scenic_spel::{compile, CompileOptions, EvalEnv, Scope, Type, Value};
//! let mut scope = Scope::new();
//! scope.declare("input", Type::string());
//! let e = compile("#input.substring(0, 3)", &scope, &CompileOptions::default()).unwrap();
//! let v = e.eval(&[Value::from("Warszawa")], &EvalEnv::default()).unwrap();
//! assert_eq!(v, Value::from("War"));
//! ```

pub mod conformance;
pub mod eval;
pub mod helpers;
pub mod lexer;
pub mod limits;
pub mod methods;
pub mod parser;
pub mod time;
pub mod typer;
pub mod types;
pub mod value;

mod expression;

pub use eval::{Clock, EvalEnv, EvalError};
pub use expression::{
    compile, CompileError, CompileErrors, CompileOptions, Diagnostic, Expression, RuntimeError,
};
pub use typer::Scope;
pub use types::{parse_type, Class, Type};
pub use value::{Str, Value, ValueMap};
