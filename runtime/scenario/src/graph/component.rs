//! The component contract: one trait per role (`Source`, `Sink`, `Service` for enrichers and
//! processors, `Transformer` for custom nodes, `Join`), each built by its factory from the
//! node's parameters, and the [`Registry`] that finds the factories by name. The built-in
//! components are in `components`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use futures::future::BoxFuture;
use scenic_spel::{EvalEnv, Type, Value};

use super::ctx::Ctx;
use super::error::Failure;
use super::param::ParamCompiler;
use crate::schema::{DecodeError, JsonSchema, Violation};

/// What kind of input a source reads, with what the runtime serving it needs to know.
#[derive(Debug, Clone, Copy)]
pub enum SourceKind<'a> {
    /// Request-response: requests against `input`, answers against `output` (when the scenario
    /// has an `outputSchema`).
    Request {
        input: &'a Arc<JsonSchema>,
        output: Option<&'a Arc<JsonSchema>>,
    },
    /// Streaming: the records of one topic.
    Topic { name: &'a str },
}

/// What a source gives the scenario: the type of `#input` and how raw input becomes a value.
pub trait Source: Send + Sync + std::fmt::Debug {
    /// What it reads (the runtimes pick what they serve by it).
    fn kind(&self) -> SourceKind<'_>;
    fn output_type(&self) -> Type;
    /// Variables the source sets besides `#input` (the Kafka source's `#inputMeta`), with their
    /// types; a run gets their values in this order.
    fn variables(&self) -> Vec<(String, Type)> {
        Vec::new()
    }
    /// Decodes one input (schema defaults applied, validated, typed).
    fn decode(&self, json: serde_json::Value) -> Result<Value, Vec<Violation>>;
    /// Decodes one input from its JSON text, as `serde_json::from_slice` then
    /// [`decode`](Self::decode) would; a source with a schema does it in one pass over the
    /// bytes ([`Decoder`](crate::schema::Decoder)).
    fn decode_bytes(&self, bytes: &[u8]) -> Result<Value, DecodeError> {
        let json = serde_json::from_slice(bytes)?;
        self.decode(json).map_err(DecodeError::Invalid)
    }
}

pub trait SourceFactory: Send + Sync {
    fn create(&self, pc: &mut dyn ParamCompiler) -> Option<Arc<dyn Source>>;
}

/// What a sink produced for one context.
#[derive(Debug, Clone, PartialEq)]
pub enum Emitted {
    /// A value, which the runtime encodes (the request-response answer, against the output
    /// schema).
    Value(Value),
    /// A record for a topic, encoded by the sink: the value's JSON text and the key, if any.
    Message {
        topic: Arc<str>,
        key: Option<String>,
        value: String,
    },
}

impl Emitted {
    /// As one value (what a test report shows): the value itself, or a message as the map
    /// `{topic, key, value}`.
    pub fn to_value(&self) -> Cow<'_, Value> {
        match self {
            Emitted::Value(v) => Cow::Borrowed(v),
            Emitted::Message { topic, key, value } => {
                let mut m = Value::map_with_capacity(3);
                m.insert(Value::str("topic"), Value::str(&**topic));
                m.insert(
                    Value::str("key"),
                    key.as_deref().map_or(Value::Null, Value::str),
                );
                m.insert(Value::str("value"), Value::str(value.as_str()));
                Cow::Owned(Value::map(m))
            }
        }
    }
}

/// A sink: evaluates what it writes for a context. `None` means it produces nothing (dead end).
pub trait Sink: Send + Sync + std::fmt::Debug {
    fn emit(&self, ctx: &Ctx, env: &EvalEnv) -> Result<Option<Emitted>, Failure>;
}

pub trait SinkFactory: Send + Sync {
    fn create(&self, pc: &mut dyn ParamCompiler) -> Option<Arc<dyn Sink>>;
}

/// An enricher or processor call, with its parameters already compiled.
pub trait Service: Send + Sync + std::fmt::Debug {
    fn invoke<'a>(
        &'a self,
        ctx: &'a Ctx,
        env: &'a EvalEnv,
    ) -> BoxFuture<'a, Result<Value, Failure>>;
    /// Whether invoking it has effects outside the process (test runs skip those).
    fn has_side_effects(&self) -> bool {
        false
    }
    /// What a test run reports instead of the call it skips (the request a remote call would
    /// send), or `None` for nothing to report.
    fn dry_run(&self, _ctx: &Ctx, _env: &EvalEnv) -> Option<Value> {
        None
    }
}

pub trait ServiceFactory: Send + Sync {
    /// The service and the type of its result (bound to the enricher's output variable).
    fn create(&self, pc: &mut dyn ParamCompiler) -> Option<(Arc<dyn Service>, Type)>;
}

/// A custom node: transforms contexts. A barrier transformer sees every context of the batch
/// that reaches it at once (`collect`); others see one context at a time.
pub trait Transformer: Send + Sync + std::fmt::Debug {
    fn barrier(&self) -> bool {
        false
    }
    /// Returns the contexts to continue with, or an error for the input context(s). The input
    /// is borrowed: when the invocation is preempted part way, the node is redone with it.
    fn apply(&self, input: &[Ctx], env: &EvalEnv) -> Vec<Result<Ctx, Failure>>;
}

pub trait CustomFactory: Send + Sync {
    /// `output` is the output variable's slot, if the node has one; the factory returns the
    /// output variable's type.
    fn create(
        &self,
        pc: &mut dyn ParamCompiler,
        output: Option<usize>,
    ) -> Option<(Arc<dyn Transformer>, Option<Type>)>;
}

/// A join (branch-merging node): one compiled step per incoming branch.
pub trait Join: Send + Sync + std::fmt::Debug {
    /// Continues a context that arrived from branch `branch`.
    fn arrive(&self, branch: usize, ctx: &Ctx, env: &EvalEnv) -> Result<Ctx, Failure>;
}

pub trait JoinFactory: Send + Sync {
    /// `branches` are the parameter compilers of the incoming branches (each in its own
    /// branch's scope), `output` the output variable's slot and the number of slots.
    fn create(
        &self,
        join_pc: &mut dyn ParamCompiler,
        branches: &mut [&mut dyn ParamCompiler],
        output: Option<usize>,
        slots: usize,
    ) -> Option<(Arc<dyn Join>, Option<Type>)>;
}

/// Every component a scenario may use, by name.
#[derive(Clone, Default)]
pub struct Registry {
    pub sources: HashMap<String, Arc<dyn SourceFactory>>,
    pub sinks: HashMap<String, Arc<dyn SinkFactory>>,
    pub services: HashMap<String, Arc<dyn ServiceFactory>>,
    pub custom: HashMap<String, Arc<dyn CustomFactory>>,
    pub joins: HashMap<String, Arc<dyn JoinFactory>>,
    /// Why configured components are missing (a provider whose OpenAPI document could not be
    /// read): the compiler adds them to its "unknown component" errors.
    pub unavailable: Vec<String>,
}
