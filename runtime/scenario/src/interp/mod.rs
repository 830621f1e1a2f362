//! The interpreter: runs a compiled scenario for one input (a batch of one context), following
//! the reference's semantics (`nussknacker-lite.md` §4.1, §8.1): a failing context is recorded
//! with its node id and dropped, other contexts (split branches, for-each elements) go on.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use scenic_spel::{EvalEnv, Value};

use crate::compile::Param;
use crate::components::{Join, Service, Sink, Source, Transformer};

/// Node visits between two yields to the executor.
const YIELD_EVERY: u32 = 256;

/// Returns `Pending` once (after waking itself), then `Ready`: a runtime-agnostic yield.
struct YieldNow(bool);

impl std::future::Future for YieldNow {
    type Output = ();
    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        if self.0 {
            return std::task::Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        std::task::Poll::Pending
    }
}

/// Pending (node, context) pairs; a few live inline, so a straight run allocates nothing.
type Stack = smallvec::SmallVec<[(usize, Ctx); 4]>;

/// A context: the values of the scenario's variables, by slot.
pub type Ctx = Vec<Value>;

/// Index of the next node; `None` is a dead end.
pub type Next = Option<usize>;

/// Per-node counters, read by the metrics exporters.
#[derive(Debug, Default)]
pub struct NodeCounters {
    /// Contexts that entered the node.
    pub entered: AtomicU64,
    /// Contexts that ended here (sink, ending processor).
    pub ended: AtomicU64,
    /// Contexts dropped here (filter or choice with no way on).
    pub dead_ended: AtomicU64,
    /// Errors raised by the node.
    pub errors: AtomicU64,
}

/// Writes a slot; contexts are sized for every slot, so a miss is a bug that must not panic.
fn set(ctx: &mut Ctx, slot: usize, v: Value) {
    if ctx.len() <= slot {
        ctx.resize(slot + 1, Value::Null);
    }
    ctx[slot] = v;
}

fn bump(c: &AtomicU64) {
    c.fetch_add(1, Ordering::Relaxed);
}

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

#[derive(Debug)]
pub struct GraphNode {
    pub id: Arc<str>,
    pub step: Step,
    pub counters: NodeCounters,
}

/// A sink's output for one context.
#[derive(Debug, Clone, PartialEq)]
pub struct SinkOutput {
    pub node_id: Arc<str>,
    pub value: Value,
}

/// An error of one context at one node.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeError {
    pub node_id: Arc<str>,
    pub message: String,
}

/// What one run produced: sink outputs in order, and every error.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct RunResult {
    pub outputs: Vec<SinkOutput>,
    pub errors: Vec<NodeError>,
}

/// Observes a run node by node (the test-with-data trace). Costs nothing when absent.
pub trait Tracer: Send {
    fn node(&mut self, node_id: &str, ctx: &Ctx);
}

/// The compiled graph the interpreter walks.
#[derive(Debug)]
pub struct Graph {
    pub nodes: Vec<GraphNode>,
    pub start: usize,
    pub slots: usize,
    pub input_slot: usize,
    /// Slots of the source's other variables (e.g. `#inputMeta`), as `Source::variables` lists them.
    pub source_vars: Vec<usize>,
    /// The variable held by each slot (fragment variables carry their node prefix).
    pub slot_names: Vec<String>,
    pub source: Arc<dyn Source>,
    pub env: EvalEnv,
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

    /// Runs the scenario for one input value.
    pub async fn run(
        &self,
        input: Value,
        skip_side_effects: bool,
        tracer: Option<&mut dyn Tracer>,
    ) -> RunResult {
        self.run_ctx(self.context(input), skip_side_effects, tracer)
            .await
    }

    /// Runs the scenario from a context made by [`Graph::context`] or [`Graph::context_with`].
    pub async fn run_ctx(
        &self,
        start: Ctx,
        skip_side_effects: bool,
        mut tracer: Option<&mut dyn Tracer>,
    ) -> RunResult {
        let mut out = RunResult::default();
        let mut stack: Stack = Stack::new();
        stack.push((self.start, start));
        let mut barriers: BTreeMap<usize, Vec<Ctx>> = BTreeMap::new();
        let mut steps: u32 = 0;
        loop {
            while let Some((at, ctx)) = stack.pop() {
                let mut pending = None;
                self.step(
                    at,
                    ctx,
                    &mut stack,
                    &mut barriers,
                    &mut out,
                    skip_side_effects,
                    &mut tracer,
                    &mut pending,
                );
                if let Some((at, ctx)) = pending {
                    self.call(at, ctx, &mut stack, &mut out).await;
                }
                steps = steps.wrapping_add(1);
                if steps.is_multiple_of(YIELD_EVERY) {
                    // Long runs (big for-each fan-outs) give the executor a chance to run other
                    // requests and to fire the request timeout.
                    YieldNow(false).await;
                }
            }
            let Some((at, ctxs)) = barriers.pop_first() else {
                break;
            };
            let Some(node) = self.nodes.get(at) else {
                break;
            };
            if let Step::Custom { transformer, next } = &node.step {
                let results = transformer.apply(ctxs, &self.env);
                let mut cont = Vec::new();
                for r in results {
                    match r {
                        Ok(c) => cont.push(c),
                        Err(message) => self.fail(node, message, &mut out),
                    }
                }
                for c in cont.into_iter().rev() {
                    self.go(node, *next, c, &mut stack);
                }
            }
        }
        out
    }

    /// Invokes the service of node `at` (an enricher or processor) and continues.
    async fn call(&self, at: usize, mut ctx: Ctx, stack: &mut Stack, out: &mut RunResult) {
        let Some(node) = self.nodes.get(at) else {
            return;
        };
        let Step::Service {
            service,
            slot,
            next,
        } = &node.step
        else {
            return;
        };
        match service.invoke(&ctx, &self.env).await {
            Ok(v) => {
                if let Some(s) = slot {
                    set(&mut ctx, *s, v);
                }
                self.end_or_go(node, *next, slot.is_none(), ctx, stack)
            }
            Err(e) => self.fail(node, e, out),
        }
    }

    fn fail(&self, node: &GraphNode, message: String, out: &mut RunResult) {
        bump(&node.counters.errors);
        out.errors.push(NodeError {
            node_id: node.id.clone(),
            message,
        });
    }

    /// Continues to `next`, or records a dead end at `node`.
    fn go(&self, node: &GraphNode, next: Next, ctx: Ctx, stack: &mut Stack) {
        match next {
            Some(n) => stack.push((n, ctx)),
            None => bump(&node.counters.dead_ended),
        }
    }

    #[allow(clippy::too_many_arguments)]
    /// Runs one node synchronously. A service call is the only thing that awaits: it is
    /// handed back to `run` (no future is built for the other nodes).
    #[allow(clippy::too_many_arguments)]
    fn step(
        &self,
        at: usize,
        mut ctx: Ctx,
        stack: &mut Stack,
        barriers: &mut BTreeMap<usize, Vec<Ctx>>,
        out: &mut RunResult,
        skip_side_effects: bool,
        tracer: &mut Option<&mut dyn Tracer>,
        pending: &mut Option<(usize, Ctx)>,
    ) {
        let Some(node) = self.nodes.get(at) else {
            return;
        };
        bump(&node.counters.entered);
        if let Some(t) = tracer.as_deref_mut() {
            t.node(&node.id, &ctx);
        }
        let env = &self.env;
        match &node.step {
            Step::Source { next } => self.go(node, *next, ctx, stack),
            Step::Filter {
                cond,
                on_true,
                on_false,
            } => match cond.eval(&ctx, env) {
                Ok(Value::Bool(true)) => self.go(node, *on_true, ctx, stack),
                Ok(Value::Bool(false)) => self.go(node, *on_false, ctx, stack),
                Ok(other) => self.fail(
                    node,
                    format!(
                        "Filter expression returned {} instead of a boolean",
                        other.class_name()
                    ),
                    out,
                ),
                Err(e) => self.fail(node, e, out),
            },
            Step::Switch {
                cases,
                default,
                expr_val,
            } => {
                if let Some((slot, p)) = expr_val {
                    match p.eval(&ctx, env) {
                        Ok(v) => set(&mut ctx, *slot, v),
                        Err(e) => return self.fail(node, e, out),
                    }
                }
                for (cond, next) in cases {
                    match cond.eval(&ctx, env) {
                        Ok(Value::Bool(true)) => return self.go(node, *next, ctx, stack),
                        Ok(Value::Bool(false)) => {}
                        Ok(other) => {
                            return self.fail(
                                node,
                                format!(
                                    "Choice condition returned {} instead of a boolean",
                                    other.class_name()
                                ),
                                out,
                            )
                        }
                        Err(e) => return self.fail(node, e, out),
                    }
                }
                self.go(node, *default, ctx, stack)
            }
            Step::Split { branches } => {
                // Pushed in reverse so the first branch runs first; the last push (branch 0)
                // takes the context instead of cloning it.
                for (i, next) in branches.iter().enumerate().rev() {
                    let c = if i == 0 {
                        std::mem::take(&mut ctx)
                    } else {
                        ctx.clone()
                    };
                    self.go(node, *next, c, stack);
                }
            }
            Step::Variable { slot, value, next } => match value.eval(&ctx, env) {
                Ok(v) => {
                    set(&mut ctx, *slot, v);
                    self.go(node, *next, ctx, stack)
                }
                Err(e) => self.fail(node, e, out),
            },
            Step::Record { slot, fields, next } => {
                let mut m = Value::map_with_capacity(fields.len());
                for (k, p) in fields {
                    match p.eval(&ctx, env) {
                        Ok(v) => {
                            m.insert(k.clone(), v);
                            // Later fields may read earlier ones through the variable.
                            set(&mut ctx, *slot, Value::map(m.clone()));
                        }
                        Err(e) => return self.fail(node, e, out),
                    }
                }
                set(&mut ctx, *slot, Value::map(m));
                self.go(node, *next, ctx, stack)
            }
            Step::Service {
                service,
                slot,
                next,
            } => {
                if skip_side_effects && service.has_side_effects() {
                    if let Some(s) = slot {
                        set(&mut ctx, *s, Value::Null);
                    }
                    return self.end_or_go(node, *next, slot.is_none(), ctx, stack);
                }
                *pending = Some((at, ctx));
            }
            Step::Custom { transformer, next } => {
                if transformer.barrier() {
                    barriers.entry(at).or_default().push(ctx);
                    return;
                }
                let results = transformer.apply(vec![ctx], env);
                let mut cont = Vec::with_capacity(results.len());
                for r in results {
                    match r {
                        Ok(c) => cont.push(c),
                        Err(e) => self.fail(node, e, out),
                    }
                }
                for c in cont.into_iter().rev() {
                    self.end_or_go(node, *next, false, c, stack);
                }
            }
            Step::BranchEnd { join, branch } => {
                let Some(j) = self.nodes.get(*join) else {
                    return;
                };
                if let Step::Join { join: jn, .. } = &j.step {
                    match jn.arrive(*branch, ctx, env) {
                        Ok(c) => stack.push((*join, c)),
                        // The branch's expression belongs to the join node.
                        Err(e) => self.fail(j, e, out),
                    }
                }
            }
            Step::Join { next, .. } => self.go(node, *next, ctx, stack),
            Step::FragmentStart { assigns, next } => {
                for (slot, p) in assigns {
                    match p.eval(&ctx, env) {
                        Ok(v) => set(&mut ctx, *slot, v),
                        Err(e) => return self.fail(node, e, out),
                    }
                }
                self.go(node, *next, ctx, stack)
            }
            Step::FragmentEnd { output, next } => {
                if let Some((slot, fields)) = output {
                    let mut m = Value::map_with_capacity(fields.len());
                    for (k, p) in fields {
                        match p.eval(&ctx, env) {
                            Ok(v) => {
                                m.insert(k.clone(), v);
                            }
                            Err(e) => return self.fail(node, e, out),
                        }
                    }
                    set(&mut ctx, *slot, Value::map(m));
                }
                self.go(node, *next, ctx, stack)
            }
            Step::Sink { sink } => {
                if skip_side_effects {
                    // Test runs still evaluate sinks: their values are the point of the test.
                }
                match sink.emit(&ctx, env) {
                    Ok(Some(value)) => {
                        bump(&node.counters.ended);
                        out.outputs.push(SinkOutput {
                            node_id: node.id.clone(),
                            value,
                        });
                    }
                    Ok(None) => bump(&node.counters.ended),
                    Err(e) => self.fail(node, e, out),
                }
            }
        }
    }

    /// After a processor or custom node: a missing next ends the branch there (an "ending"
    /// node), which counts as an end rather than a dead end.
    fn end_or_go(&self, node: &GraphNode, next: Next, ending: bool, ctx: Ctx, stack: &mut Stack) {
        match next {
            Some(n) => stack.push((n, ctx)),
            None if ending => bump(&node.counters.ended),
            None => bump(&node.counters.ended),
        }
    }
}
