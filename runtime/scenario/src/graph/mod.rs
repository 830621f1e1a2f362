//! The bottom of the engine: the compiled graph as data (contexts, steps, nodes, their
//! counters), compiled parameters and the component contract. `compile` builds a [`Graph`],
//! `interp` runs it and `components` implement its role traits; this module imports none of
//! them (`scripts/test` checks it), only `model`, `schema` and `scenic_spel`.

mod component;
mod counter;
mod ctx;
mod error;
mod node;
mod param;

pub use component::{
    CustomFactory, Emitted, Join, JoinFactory, Registry, Service, ServiceFactory, Sink,
    SinkFactory, Source, SourceFactory, SourceKind, Transformer,
};
pub use counter::{ShardedCounter, ShardedCounters};
pub(crate) use ctx::set;
pub use ctx::{Ctx, Next, NodeCounters, NodeCounts};
pub use error::{Failure, NodeError};
pub use node::{Graph, GraphNode, Step};
pub use param::{Param, ParamCompiler};
