//! Compiles a scenario file into a `CompiledScenario` in one pass over its branches, collecting
//! every problem (structure, expressions, types, components) with the node id, the parameter
//! and the position inside the expression.

mod builder;
mod fragments;

use std::sync::Arc;

use scenic_spel::{Type, Value};

use crate::interp::Ctx;
use crate::model::Expression;

pub use builder::{compile_scenario, CompileOptions, ScenarioLimits};
pub use fragments::{
    resolve_fragments as fragments_dir, DirFragments, FragmentSource, NoFragments,
};

/// One problem found while compiling a scenario.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CompileError {
    /// The node the problem is in (`None` for scenario-level problems).
    #[serde(rename = "nodeId")]
    pub node_id: Option<String>,
    /// The parameter or field, when the problem is in one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// 1-based line and column inside the expression.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for CompileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.node_id {
            Some(n) => write!(f, "node '{n}'")?,
            None => write!(f, "scenario")?,
        }
        if let Some(p) = &self.parameter {
            write!(f, ", parameter '{p}'")?;
        }
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, ", {l}:{c}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl CompileError {
    pub fn scenario(message: impl Into<String>) -> CompileError {
        CompileError {
            node_id: None,
            parameter: None,
            line: None,
            column: None,
            message: message.into(),
        }
    }
    pub fn node(node: &str, message: impl Into<String>) -> CompileError {
        CompileError {
            node_id: Some(node.to_string()),
            parameter: None,
            line: None,
            column: None,
            message: message.into(),
        }
    }
    /// An error of one parameter of `node`, as a whole (not at a line and column in it).
    pub fn param(node: &str, parameter: &str, message: impl Into<String>) -> CompileError {
        CompileError {
            node_id: Some(node.to_string()),
            parameter: Some(parameter.to_string()),
            line: None,
            column: None,
            message: message.into(),
        }
    }
}

/// A compiled parameter: an expression resolved against its node's variables.
#[derive(Debug, Clone)]
pub struct Param {
    pub name: Arc<str>,
    pub expr: scenic_spel::Expression,
}

impl Param {
    pub fn eval(&self, ctx: &Ctx, env: &scenic_spel::EvalEnv) -> Result<Value, String> {
        self.expr.eval(ctx, env).map_err(|e| e.to_string())
    }
    pub fn static_type(&self) -> &Type {
        self.expr.static_type()
    }
}

/// What components see while their node compiles: its parameters, compiled in the node's scope.
pub trait ParamCompiler {
    fn node_id(&self) -> &str;
    /// The raw parameter, if the node has it.
    fn raw(&self, name: &str) -> Option<&Expression>;
    /// Names of all parameters the node carries.
    fn names(&self) -> Vec<String>;
    /// Compiles a parameter (SpEL or template); errors are recorded and give `None`. A missing
    /// parameter gives `None` without an error.
    fn compile(&mut self, name: &str, expected: Option<&Type>) -> Option<Param>;
    /// Compiles a parameter with extra variables visible (e.g. `#ROW`), each given a slot.
    fn compile_with(
        &mut self,
        name: &str,
        expected: Option<&Type>,
        extra: &[(&str, Type)],
    ) -> Option<(Param, Vec<usize>)>;
    /// Records an error on this node (and parameter, when given).
    fn error(&mut self, parameter: Option<&str>, message: String);
    /// A scenario property (`inputSchema`, `slug`, ...).
    fn property(&self, name: &str) -> Option<String>;
    /// The parsed `outputSchema`, when the scenario has a request-response source.
    fn output_schema(&mut self) -> Option<Arc<crate::schema::JsonSchema>>;
    /// Slots of the value array.
    fn slots(&self) -> usize;

    /// Compiles a mandatory parameter; a missing one is an error naming it.
    fn required(&mut self, name: &str, expected: Option<&Type>) -> Option<Param> {
        if self.raw(name).is_none() {
            self.error(Some(name), format!("Missing parameter '{name}'"));
            return None;
        }
        self.compile(name, expected)
    }
}
