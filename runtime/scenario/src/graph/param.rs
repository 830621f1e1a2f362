//! Compiled parameters and what a component sees of its node while it compiles.

use std::sync::Arc;

use scenic_spel::{Type, Value};

use super::ctx::Ctx;
use super::error::Failure;
use crate::model::Expression;
use crate::schema::JsonSchema;

/// A compiled parameter: an expression resolved against its node's variables.
#[derive(Debug, Clone)]
pub struct Param {
    pub name: Arc<str>,
    pub expr: scenic_spel::Expression,
}

impl Param {
    pub fn eval(&self, ctx: &Ctx, env: &scenic_spel::EvalEnv) -> Result<Value, Failure> {
        self.expr
            .eval(ctx, env)
            .map_err(|error| Failure::Expression {
                parameter: self.name.clone(),
                error,
            })
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
    /// The scenario's name (`metaData.id`): what components tag their metrics with.
    fn scenario_name(&self) -> &str {
        ""
    }
    /// The parsed `outputSchema`, when the scenario has a request-response source.
    fn output_schema(&mut self) -> Option<Arc<JsonSchema>>;
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
