//! Test support shared by the helpers' unit tests: compile with helpers, evaluate with the
//! default environment.

use crate::{compile, CompileOptions, EvalEnv, Scope, Value};

/// The value (or runtime error) and the static type of `src`.
pub(crate) fn run(src: &str) -> (Result<Value, String>, String) {
    let e = compile(src, &Scope::with_helpers(), &CompileOptions::default()).expect(src);
    (
        e.eval(&[], &EvalEnv::default()).map_err(|e| e.to_string()),
        e.static_type().to_string(),
    )
}

/// The value of `src`, which must evaluate.
pub(crate) fn eval(src: &str) -> Value {
    run(src).0.expect(src)
}
