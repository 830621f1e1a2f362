//! The compiled graph as data: nodes (indices instead of pointers), each with its step, and
//! what a run starts from. `compile` builds it; `interp` walks it.

use std::sync::Arc;

use scenic_spel::limits::Limits;
use scenic_spel::{EvalEnv, Value};

use super::component::{Join, Service, Sink, Source, Transformer};
use super::ctx::{set, Ctx, Next, NodeCounters};
use super::param::Param;

/// What a node does, with the indices of the nodes it leads to.
#[derive(Debug)]
pub enum Step {
    Source {
        next: Next,
    },
    Filter {
        cond: Param,
        on_true: Next,
        on_false: Next,
    },
    Switch {
        cases: Vec<(Param, Next)>,
        default: Next,
        expr_val: Option<(usize, Param)>,
    },
    Split {
        branches: Vec<Next>,
    },
    Variable {
        slot: usize,
        value: Param,
        next: Next,
    },
    Record {
        slot: usize,
        fields: Vec<(Value, Param)>,
        next: Next,
    },
    /// Enricher (`slot` = output variable) or processor (`slot` = None).
    Service {
        service: Arc<dyn Service>,
        slot: Option<usize>,
        next: Next,
    },
    Custom {
        transformer: Arc<dyn Transformer>,
        next: Next,
    },
    BranchEnd {
        join: usize,
        branch: usize,
    },
    Join {
        join: Arc<dyn Join>,
        next: Next,
    },
    /// Entering a fragment: its parameters are assigned to the fragment's own slots.
    FragmentStart {
        assigns: Vec<(usize, Param)>,
        next: Next,
    },
    /// Leaving a fragment through an output, optionally binding an output variable.
    FragmentEnd {
        output: Option<(usize, Vec<(Value, Param)>)>,
        next: Next,
    },
    Sink {
        sink: Arc<dyn Sink>,
    },
}

/// One node of the graph: its id (for errors and metrics), its step and its counters.
#[derive(Debug)]
pub struct GraphNode {
    pub id: Arc<str>,
    pub step: Step,
    pub counters: Arc<NodeCounters>,
}

/// The compiled graph the interpreter walks.
#[derive(Debug)]
pub struct Graph {
    pub(crate) nodes: Vec<GraphNode>,
    pub(crate) start: usize,
    pub(crate) slots: usize,
    pub(crate) input_slot: usize,
    /// Slots of the source's other variables (e.g. `#inputMeta`), as `Source::variables` lists them.
    pub(crate) source_vars: Vec<usize>,
    /// The variable held by each slot (fragment variables carry their node prefix).
    pub(crate) slot_names: Vec<String>,
    pub(crate) source: Arc<dyn Source>,
    pub(crate) env: EvalEnv,
    /// The evaluation limits every invocation's budget gets.
    pub(crate) limits: Limits,
}

impl Graph {
    /// A fresh context holding `#input`.
    pub fn context(&self, input: Value) -> Ctx {
        let mut ctx = vec![Value::Null; self.slots.max(self.input_slot + 1)];
        set(&mut ctx, self.input_slot, input);
        ctx
    }

    /// A fresh context holding `#input` and the source's other variables, in the order
    /// `Source::variables` lists them (missing ones stay null).
    pub fn context_with(&self, input: Value, vars: Vec<Value>) -> Ctx {
        let mut ctx = self.context(input);
        for (slot, v) in self.source_vars.iter().zip(vars) {
            set(&mut ctx, *slot, v);
        }
        ctx
    }

    /// The id of the source node (where input errors are reported).
    pub fn source_id(&self) -> &str {
        // The compiler always puts the source at `start`; an empty id rather than a panic.
        self.nodes.get(self.start).map_or("", |n| &n.id)
    }

    pub fn source(&self) -> &Arc<dyn Source> {
        &self.source
    }

    /// The variable held by each slot, in slot order (a context's values line up with it).
    pub fn slot_names(&self) -> &[String] {
        &self.slot_names
    }

    /// The evaluation limits every invocation's budget gets.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The node ids, in the graph's order (fragments inlined, with their prefixes).
    pub fn node_ids(&self) -> impl Iterator<Item = &str> {
        self.nodes.iter().map(|n| &*n.id)
    }
}
