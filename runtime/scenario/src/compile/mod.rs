//! Compiles a scenario file into a `CompiledScenario` in one pass over its branches, collecting
//! every problem (structure, expressions, types, components) with the node id, the parameter
//! and the position inside the expression.

mod builder;
mod fragments;
mod nodes;

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
