//! The facade over the stages: compile once, evaluate many.

use std::sync::Arc;

use crate::eval::{Cx, EvalEnv, EvalError, Node};
use crate::lexer::Span;
use crate::parser::{self, ParseError};
use crate::typer::{type_expression, type_template, Scope, TypeError};
use crate::types::Type;
use crate::value::Value;

/// How an expression is compiled.
#[derive(Clone, Debug, Default)]
pub struct CompileOptions {
    /// The parameter's expected type: the result must be convertible to it (§15.2) and is
    /// converted on return.
    pub expected: Option<Type>,
    /// Parse as a template (`text #{expr} text`).
    pub template: bool,
    /// The deployment's limits; compilation enforces the expression depth.
    pub limits: crate::limits::Limits,
}

/// An error of one stage.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CompileError {
    #[error(transparent)]
    Parse(#[from] ParseError),
    #[error(transparent)]
    Type(#[from] TypeError),
}

impl CompileError {
    pub fn span(&self) -> Span {
        match self {
            CompileError::Parse(e) => e.span(),
            CompileError::Type(e) => e.span(),
        }
    }
}

/// A compile error placed in the expression text (1-based line and column).
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub error: CompileError,
    pub line: usize,
    pub column: usize,
}

impl Diagnostic {
    pub fn message(&self) -> String {
        self.error.to_string()
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.error)
    }
}

/// Every compile error of one expression.
#[derive(Debug, Clone, PartialEq)]
pub struct CompileErrors(pub Vec<Diagnostic>);

impl std::fmt::Display for CompileErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CompileErrors {}

/// A runtime failure, naming the expression as the reference does (a long expression by its
/// first 200 characters: error bodies stay small).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "Expression [{}] evaluation failed, message: {error}",
    crate::value::truncate_for_message(expression)
)]
pub struct RuntimeError {
    pub expression: Arc<str>,
    pub error: EvalError,
}

/// A compiled expression: immutable, `Send + Sync`, cheap to share.
#[derive(Debug, Clone)]
pub struct Expression {
    root: Node,
    ty: Type,
    source: Arc<str>,
    /// Levels of `root`: evaluation recurses once per level.
    depth: u32,
}

/// Trees up to this deep are evaluated on the caller's stack as it is; deeper ones make sure
/// of `depth × STACK_PER_LEVEL` bytes first (a new segment when the thread has less left).
const SHALLOW: u32 = 12;
/// Stack one level of evaluation may take: measured at 25 to 40 KiB in debug builds (the
/// evaluator's frame is large there) and well under 2 KiB in release ones; twice that here.
/// Only the touched pages of a new segment are ever committed.
const STACK_PER_LEVEL: usize = if cfg!(debug_assertions) {
    96 << 10
} else {
    16 << 10
};

fn line_col(src: &str, offset: u32) -> (usize, usize) {
    let offset = (offset as usize).min(src.len());
    let before = src.get(..offset).unwrap_or(src);
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

fn diagnostics(src: &str, errors: Vec<CompileError>) -> CompileErrors {
    CompileErrors(
        errors
            .into_iter()
            .map(|error| {
                let (line, column) = line_col(src, error.span().start);
                Diagnostic {
                    error,
                    line,
                    column,
                }
            })
            .collect(),
    )
}

/// Parses, type-checks and resolves `src` against the variables of `scope`.
pub fn compile(
    src: &str,
    scope: &Scope,
    opts: &CompileOptions,
) -> Result<Expression, CompileErrors> {
    let typed = if opts.template {
        let parts = parser::parse_template_limited(src, opts.limits.max_expression_depth)
            .map_err(|e| diagnostics(src, vec![e.into()]))?;
        type_template(&parts, scope, src)
    } else if src.trim().is_empty() {
        // A blank expression is the null expression (`SpelExpression.shouldUseNullExpression`).
        Ok((Node::Const(Value::Null), Type::Null))
    } else {
        let ast = parser::parse_limited(src, opts.limits.max_expression_depth)
            .map_err(|e| diagnostics(src, vec![e.into()]))?;
        type_expression(&ast, scope, src)
    };
    let (mut root, mut ty) = typed
        .map_err(|errs| diagnostics(src, errs.into_iter().map(CompileError::from).collect()))?;
    if let Some(expected) = &opts.expected {
        if !ty.can_be_converted_to(expected) {
            let error = TypeError::BadExpressionType {
                expected: expected.to_string(),
                found: ty.to_string(),
                span: Span::new(0, src.len()),
            };
            return Err(diagnostics(src, vec![error.into()]));
        }
        if let Some(class) = expected.base_class() {
            if !ty.is_assignable_without_conversion(expected) {
                root = Node::Convert(Box::new(root), class);
                if let Node::Convert(inner, _) = &root {
                    if let Node::Const(_) = **inner {
                        let env = EvalEnv::default();
                        let cx = Cx {
                            vars: &[],
                            this: None,
                            env: &env,
                        };
                        if let Ok(v) = root.eval(&cx) {
                            root = Node::Const(v.into_owned());
                        }
                    }
                }
                ty = expected.clone();
            }
        }
    }
    let depth = root.depth();
    Ok(Expression {
        root,
        ty,
        source: Arc::from(src),
        depth,
    })
}

impl Expression {
    /// Evaluates against variable values laid out by slot (see `Scope::declare`).
    pub fn eval(&self, vars: &[Value], env: &EvalEnv) -> Result<Value, RuntimeError> {
        let cx = Cx {
            vars,
            this: None,
            env,
        };
        if self.depth > SHALLOW {
            return self.eval_deep(&cx);
        }
        self.run(&cx)
    }

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn run(&self, cx: &Cx<'_>) -> Result<Value, RuntimeError> {
        // A call with constant arguments at the root (`#input.substring(0, 3)`) runs inlined
        // here, its result returned as the method made it (see `call_const`).
        if let Node::CallConst(c) = &self.root {
            return crate::eval::call_const(c, cx).map_err(|error| self.failed(error));
        }
        match self.root.eval(cx) {
            Ok(v) => Ok(v.into_owned()),
            Err(error) => Err(self.failed(error)),
        }
    }

    #[cold]
    fn failed(&self, error: EvalError) -> RuntimeError {
        RuntimeError {
            expression: self.source.clone(),
            error,
        }
    }

    /// A deep tree: evaluated on a stack with room for all of it.
    #[cold]
    fn eval_deep(&self, cx: &Cx<'_>) -> Result<Value, RuntimeError> {
        let need = self.depth as usize * STACK_PER_LEVEL + crate::parser::STACK_RED_ZONE;
        stacker::maybe_grow(need, need, || self.run(cx))
    }

    /// The static type the typer computed.
    pub fn static_type(&self) -> &Type {
        &self.ty
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// Is the whole expression a compile-time constant?
    pub fn constant(&self) -> Option<&Value> {
        match &self.root {
            Node::Const(v) => Some(v),
            _ => None,
        }
    }
}
