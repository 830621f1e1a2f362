//! The interpreter: runs a compiled scenario for one input (a batch of one context), following
//! the reference's semantics (`nussknacker-lite.md` §4.1, §8.1): a failing context is recorded
//! with its node id and dropped, other contexts (split branches, for-each elements) go on.
//!
//! Every invocation runs under a budget (`decisions.md` §10): its evaluations' memory, the
//! values' sizes and a deadline. Running out of time or memory stops the whole invocation with
//! one error at the node where it happened; the result says which budget ran out.
//!
//! An invocation is a [`Run`]: plain data (the pending contexts), so it can stop and continue
//! elsewhere. With a *slice*, [`Graph::drive`] gives the run back as [`Flow::Preempted`] once
//! it has evaluated for that long, at a node boundary, with the interrupted node to be redone:
//! the request-response runtime starts every invocation on its I/O thread and moves the few
//! long ones to its compute pool this way.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use scenic_spel::eval::{Budget, Exhausted};
use scenic_spel::{EvalEnv, Value};

use crate::graph::{
    set, Ctx, Emitted, Failure, Graph, GraphNode, Next, NodeError, Param, Service, Sink, Step,
    Transformer,
};

/// Node visits between two yields to the executor.
const YIELD_EVERY: u32 = 256;

/// Service calls one invocation makes at once (`decisions.md` §10: bounded fan-out). Calls of
/// independent contexts (split branches, for-each elements) that are pending together run
/// concurrently, up to this many.
pub const MAX_CALLS_AT_ONCE: usize = 32;

/// Errors kept per invocation; more are counted (`RunResult::omitted_errors`), not kept: a
/// for-each over 100,000 elements that all fail must not answer with 100,000 messages.
pub const MAX_ERRORS: usize = 100;

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

/// Pending (node, context) pairs; two live inline, so a straight run allocates nothing (and the
/// run stays small to move to the compute pool).
type Stack = smallvec::SmallVec<[(usize, Ctx); 2]>;

/// Service calls waiting to be made together; one lives inline, so a run that calls one service
/// at a time allocates nothing for it (as before calls were batched).
type Calls = smallvec::SmallVec<[(usize, Ctx); 1]>;

fn bump(c: &AtomicU64) {
    c.fetch_add(1, Ordering::Relaxed);
}

/// A sink's output for one context.
#[derive(Debug, Clone, PartialEq)]
pub struct SinkOutput {
    pub node_id: Arc<str>,
    pub output: Emitted,
}

impl SinkOutput {
    /// The output as one value (see [`Emitted::to_value`]): borrowed for a sink's value.
    pub fn value(&self) -> Cow<'_, Value> {
        self.output.to_value()
    }
}

/// Sink outputs; a request-response run usually has one, kept inline (no allocation).
pub type Outputs = smallvec::SmallVec<[SinkOutput; 1]>;

/// A call a test run did not make, and what it would have sent ([`Service::dry_run`]).
#[derive(Debug, Clone, PartialEq)]
pub struct SkippedCall {
    pub node_id: Arc<str>,
    pub request: Value,
}

/// What one run produced: sink outputs in order, and every error.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct RunResult {
    pub outputs: Outputs,
    /// The first [`MAX_ERRORS`] errors.
    pub errors: Vec<NodeError>,
    /// Errors beyond [`MAX_ERRORS`], counted only.
    pub omitted_errors: usize,
    /// Set when the invocation stopped because it ran out of time or memory; `errors` names
    /// the node where it happened.
    pub exhausted: Option<Exhausted>,
    /// Test runs: the calls skipped, with what they would have sent (the first
    /// [`MAX_ERRORS`]).
    pub skipped_calls: Vec<SkippedCall>,
}

/// Observes a run node by node (the test-with-data trace). Costs nothing when absent.
pub trait Tracer: Send {
    fn node(&mut self, node_id: &str, ctx: &Ctx);
}

/// How one invocation runs.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// When the invocation must have finished; past it, it stops with `Exhausted::Deadline`.
    pub deadline: Option<Instant>,
    /// Hand the run back (`Flow::Preempted`) after evaluating this long.
    pub slice: Option<Duration>,
    /// Test runs: effects outside the process (the `log` processor, real enrichers) are skipped.
    pub skip_side_effects: bool,
}

/// One invocation in progress: its budget and its pending contexts. Plain data: a preempted
/// run can move to another thread and continue there ([`Graph::drive`] again).
#[derive(Debug)]
pub struct Run {
    env: EvalEnv,
    stack: Stack,
    barriers: BTreeMap<usize, Vec<Ctx>>,
    out: RunResult,
    steps: u32,
    skip_side_effects: bool,
    /// Service calls waiting to be made together: (node, context).
    calls: Calls,
}

/// Where [`Graph::drive`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Done,
    /// The slice is over; the run continues with its next `drive` (after [`Run::end_slice`]).
    Preempted,
}

impl Run {
    /// Lets the run go on past its slice (it keeps its deadline).
    pub fn end_slice(&mut self) {
        self.env.budget.end_slice();
    }

    /// What the run produced.
    pub fn finish(self) -> RunResult {
        let mut out = self.out;
        if out.exhausted.is_none() {
            out.exhausted = self
                .env
                .budget
                .exhausted()
                .filter(|e| *e != Exhausted::Preempted);
        }
        out
    }
}

/// What a context costs the budget when it is copied (split branches, for-each elements).
fn ctx_bytes(ctx: &Ctx) -> u64 {
    (ctx.len() as u64 + 3) * scenic_spel::value::SLOT_BYTES
}

impl Graph {
    /// Starts an invocation from a context made by [`Graph::context`] or
    /// [`Graph::context_with`].
    pub fn begin(&self, start: Ctx, opts: &RunOptions) -> Run {
        let mut budget = Budget::new(self.limits).with_deadline(opts.deadline);
        if let Some(slice) = opts.slice {
            budget = budget.with_slice(Instant::now() + slice);
        }
        let mut stack = Stack::new();
        stack.push((self.start, start));
        Run {
            env: self.env.with_budget(budget),
            stack,
            barriers: BTreeMap::new(),
            out: RunResult::default(),
            steps: 0,
            skip_side_effects: opts.skip_side_effects,
            calls: Calls::new(),
        }
    }

    /// Runs the scenario for one input value, without a deadline.
    pub async fn run(
        &self,
        input: Value,
        skip_side_effects: bool,
        tracer: Option<&mut dyn Tracer>,
    ) -> RunResult {
        let opts = RunOptions {
            skip_side_effects,
            ..RunOptions::default()
        };
        self.run_ctx(self.context(input), &opts, tracer).await
    }

    /// Runs the scenario from a context made by [`Graph::context`] or [`Graph::context_with`]
    /// to its end (a slice in `opts` is ignored).
    pub async fn run_ctx(
        &self,
        start: Ctx,
        opts: &RunOptions,
        mut tracer: Option<&mut dyn Tracer>,
    ) -> RunResult {
        let mut run = self.begin(start, opts);
        if opts.slice.is_some() {
            // To its end: a slice would only make the loop below go round again.
            run.end_slice();
        }
        while self
            .drive(
                &mut run,
                tracer.as_deref_mut().map(|t| t as &mut dyn Tracer),
            )
            .await
            == Flow::Preempted
        {
            run.end_slice();
        }
        run.finish()
    }

    /// Runs `run` until it ends, or until its slice is over. Nodes run synchronously
    /// (`Graph::run_nodes`); only service calls and the periodic yields await.
    pub async fn drive(&self, run: &mut Run, mut tracer: Option<&mut dyn Tracer>) -> Flow {
        loop {
            match self.run_nodes(run, tracer.as_deref_mut().map(|t| t as &mut dyn Tracer)) {
                Pause::Done => return Flow::Done,
                Pause::Preempted => return Flow::Preempted,
                Pause::Yield => {
                    // Long runs (big for-each fan-outs) give the executor a chance to run
                    // other requests and to fire the request timeout.
                    YieldNow(false).await;
                }
                Pause::Calls => {
                    let calls = std::mem::take(&mut run.calls);
                    if self.call_all(calls, run).await {
                        return run_flow(run);
                    }
                }
            }
        }
    }

    /// Runs nodes until the run ends, is preempted, must yield, or has service calls to make:
    /// every context goes as far as it can first, so that the calls of independent contexts
    /// are made together.
    fn run_nodes(&self, run: &mut Run, mut tracer: Option<&mut dyn Tracer>) -> Pause {
        loop {
            // Whatever exhausts the budget clears the stack and returns at once.
            while let Some((at, ctx)) = run.stack.pop() {
                // With calls pending, other contexts run ahead only through steps whose order
                // nobody sees (a sink's output, a barrier's batch, a join are seen): the
                // outputs come in the order one call at a time would give.
                if !run.calls.is_empty() && !self.may_run_ahead(at) {
                    run.stack.push((at, ctx));
                    return Pause::Calls;
                }
                // Each node visit is work: a fan-out of a million contexts stops at the
                // deadline, or at the end of the slice before the node starts.
                if let Err(limit) = run.env.budget.tick(1) {
                    if run.env.budget.exhausted() == Some(Exhausted::Preempted) {
                        run.stack.push((at, ctx));
                        return Pause::Preempted;
                    }
                    if let Some(node) = self.nodes.get(at) {
                        self.record_failure(node, limit.into(), run);
                    }
                    return Pause::Done;
                }
                let stepped = self.step(
                    at,
                    ctx,
                    run,
                    // A reborrow per node (the cast shortens the trait object's lifetime).
                    tracer.as_deref_mut().map(|t| t as &mut dyn Tracer),
                );
                run.steps = run.steps.wrapping_add(1);
                match stepped {
                    Stepped::Ok => {}
                    Stepped::Call(ctx) => {
                        run.calls.push((at, ctx));
                        if run.calls.len() >= MAX_CALLS_AT_ONCE {
                            return Pause::Calls;
                        }
                    }
                    Stepped::Exhausted => {
                        run.stack.clear();
                        run.barriers.clear();
                        run.calls.clear();
                        return Pause::Done;
                    }
                    Stepped::Failed(failed) => {
                        let (failure, ctx) = *failed;
                        if self.stopped(at, ctx, failure, run) {
                            return match run_flow(run) {
                                Flow::Done => Pause::Done,
                                Flow::Preempted => Pause::Preempted,
                            };
                        }
                    }
                }
                if run.steps.is_multiple_of(YIELD_EVERY) {
                    return Pause::Yield;
                }
            }
            // The calls' contexts go on before a barrier sees its batch.
            if !run.calls.is_empty() {
                return Pause::Calls;
            }
            let Some((at, ctxs)) = run.barriers.pop_first() else {
                return Pause::Done;
            };
            let Some(node) = self.nodes.get(at) else {
                return Pause::Done;
            };
            if let Step::Custom { transformer, next } = &node.step {
                let results = transformer.apply(&ctxs, &run.env);
                if run.env.budget.exhausted() == Some(Exhausted::Preempted) {
                    // Redo the barrier with the same contexts once the run continues.
                    run.barriers.insert(at, ctxs);
                    return Pause::Preempted;
                }
                let mut cont = Vec::new();
                for r in results {
                    match r {
                        Ok(c) => cont.push(c),
                        Err(failure) => {
                            if self.record_failure(node, failure, run) {
                                return Pause::Done;
                            }
                        }
                    }
                }
                for c in cont.into_iter().rev() {
                    go(node, *next, c, &mut run.stack);
                }
            }
        }
    }

    /// A node did not pass `ctx` on. Preempted: the context goes back to redo the node, and
    /// the run stops for now. Otherwise the failure is recorded; when the invocation is out of
    /// time or memory it stops for good. True when the run stops.
    fn stopped(&self, at: usize, ctx: Ctx, failure: Failure, run: &mut Run) -> bool {
        let Some(node) = self.nodes.get(at) else {
            return false;
        };
        if run.env.budget.exhausted() == Some(Exhausted::Preempted) {
            node.counters.entered().fetch_sub(1, Ordering::Relaxed);
            run.stack.push((at, ctx));
            return true;
        }
        self.record_failure(node, failure, run)
    }

    /// Records a failure of `node`; true when it exhausted the invocation's budget (then the
    /// run is over).
    fn record_failure(&self, node: &GraphNode, failure: Failure, run: &mut Run) -> bool {
        if record(&mut run.out, &run.env.budget, node, failure) {
            run.stack.clear();
            run.barriers.clear();
            run.calls.clear();
            return true;
        }
        false
    }

    /// Whether a context may go through node `at` while earlier contexts wait for their service
    /// calls: steps that only move it along (and count), and service calls, which join them.
    fn may_run_ahead(&self, at: usize) -> bool {
        matches!(
            self.nodes.get(at).map(|n| &n.step),
            Some(
                Step::Service { .. }
                    | Step::Filter { .. }
                    | Step::Switch { .. }
                    | Step::Split { .. }
                    | Step::Variable { .. }
                    | Step::Record { .. }
                    | Step::FragmentStart { .. }
                    | Step::FragmentEnd { .. }
            )
        )
    }

    /// Makes the pending service calls (enrichers, processors) together and continues each
    /// context, in the order the calls were reached. True when the run stops (a failure
    /// exhausted the budget).
    async fn call_all(&self, calls: Calls, run: &mut Run) -> bool {
        let env = &run.env;
        let results: smallvec::SmallVec<[_; 1]> = match calls.as_slice() {
            // One call (the usual case, and every in-process service): no join to set up.
            [(at, ctx)] => smallvec::smallvec![invoke(self.nodes.get(*at), ctx, env).await],
            _ => futures::future::join_all(
                calls
                    .iter()
                    .map(|(at, ctx)| invoke(self.nodes.get(*at), ctx, env)),
            )
            .await
            .into(),
        };
        let mut cont: smallvec::SmallVec<[_; 1]> = smallvec::SmallVec::new();
        for ((at, mut ctx), result) in calls.into_iter().zip(results) {
            let Some(node) = self.nodes.get(at) else {
                continue;
            };
            let Step::Service { slot, next, .. } = &node.step else {
                continue;
            };
            match result {
                Ok(v) => {
                    if let (Some(s), Some(v)) = (slot, v) {
                        set(&mut ctx, *s, v);
                    }
                    cont.push((node, *next, ctx));
                }
                Err(failure) => {
                    if self.stopped(at, ctx, failure, run) {
                        return true;
                    }
                }
            }
        }
        // The first call's context on top: it goes on first, as it would have alone.
        for (node, next, ctx) in cont.into_iter().rev() {
            end_or_go(node, next, ctx, &mut run.stack);
        }
        false
    }

    /// Runs one node synchronously, by its step kind. A service call is the only thing that
    /// awaits: it is handed back with its context (`Stepped::Call`). On failure the context
    /// comes back with the failure, to redo the node if the run was preempted. Failures of
    /// another node (a join's branch expression) are recorded here.
    fn step(&self, at: usize, ctx: Ctx, run: &mut Run, tracer: Option<&mut dyn Tracer>) -> Stepped {
        let Some(node) = self.nodes.get(at) else {
            return Stepped::Ok;
        };
        bump(node.counters.entered());
        if let Some(t) = tracer {
            t.node(&node.id, &ctx);
        }
        match &node.step {
            Step::Source { next } | Step::Join { next, .. } => {
                go(node, *next, ctx, &mut run.stack);
                Stepped::Ok
            }
            Step::Filter {
                cond,
                on_true,
                on_false,
            } => filter(node, cond, *on_true, *on_false, ctx, run),
            Step::Switch {
                cases,
                default,
                expr_val,
            } => switch(node, cases, *default, expr_val.as_ref(), ctx, run),
            Step::Split { branches } => split(node, branches, ctx, run),
            Step::Variable { slot, value, next } => variable(node, *slot, value, *next, ctx, run),
            Step::Record { slot, fields, next } => {
                record_variable(node, *slot, fields, *next, ctx, run)
            }
            Step::Service {
                service,
                slot,
                next,
            } => service_step(node, service.as_ref(), *slot, *next, ctx, run),
            Step::Custom { transformer, next } => {
                custom(at, node, transformer.as_ref(), *next, ctx, run)
            }
            Step::BranchEnd { join, branch } => self.branch_end(*join, *branch, ctx, run),
            Step::FragmentStart { assigns, next } => fragment_start(node, assigns, *next, ctx, run),
            Step::FragmentEnd { output, next } => {
                fragment_end(node, output.as_ref(), *next, ctx, run)
            }
            Step::Sink { sink } => sink_step(node, sink.as_ref(), ctx, run),
        }
    }

    /// A branch end: the context continues at its join, with the join's expression for this
    /// branch (whose failure belongs to the join node).
    fn branch_end(&self, join: usize, branch: usize, ctx: Ctx, run: &mut Run) -> Stepped {
        let Some(j) = self.nodes.get(join) else {
            return Stepped::Ok;
        };
        if let Step::Join { join: jn, .. } = &j.step {
            match jn.arrive(branch, &ctx, &run.env) {
                Ok(c) => run.stack.push((join, c)),
                Err(e) => {
                    if run.env.budget.exhausted() == Some(Exhausted::Preempted) {
                        return Stepped::Failed(Box::new((e, ctx)));
                    }
                    if record(&mut run.out, &run.env.budget, j, e) {
                        return Stepped::Exhausted;
                    }
                }
            }
        }
        Stepped::Ok
    }
}

/// The value of `$e`, or the node's failure with its context `$ctx`.
macro_rules! attempt {
    ($e:expr, $ctx:expr) => {
        match $e {
            Ok(v) => v,
            Err(f) => return Stepped::Failed(Box::new((Failure::from(f), $ctx))),
        }
    };
}

fn filter(
    node: &GraphNode,
    cond: &Param,
    on_true: Next,
    on_false: Next,
    ctx: Ctx,
    run: &mut Run,
) -> Stepped {
    match attempt!(cond.eval(&ctx, &run.env), ctx) {
        Value::Bool(true) => go(node, on_true, ctx, &mut run.stack),
        Value::Bool(false) => go(node, on_false, ctx, &mut run.stack),
        other => {
            let f = Failure::NotBoolean {
                condition: "Filter expression",
                class: other.class_name(),
            };
            return Stepped::Failed(Box::new((f, ctx)));
        }
    }
    Stepped::Ok
}

/// A choice: the first case whose condition holds, else the default.
fn switch(
    node: &GraphNode,
    cases: &[(Param, Next)],
    default: Next,
    expr_val: Option<&(usize, Param)>,
    mut ctx: Ctx,
    run: &mut Run,
) -> Stepped {
    if let Some((slot, p)) = expr_val {
        let v = attempt!(p.eval(&ctx, &run.env), ctx);
        set(&mut ctx, *slot, v);
    }
    for (cond, next) in cases {
        match attempt!(cond.eval(&ctx, &run.env), ctx) {
            Value::Bool(true) => {
                go(node, *next, ctx, &mut run.stack);
                return Stepped::Ok;
            }
            Value::Bool(false) => {}
            other => {
                let f = Failure::NotBoolean {
                    condition: "Choice condition",
                    class: other.class_name(),
                };
                return Stepped::Failed(Box::new((f, ctx)));
            }
        }
    }
    go(node, default, ctx, &mut run.stack);
    Stepped::Ok
}

fn split(node: &GraphNode, branches: &[Next], ctx: Ctx, run: &mut Run) -> Stepped {
    let copies = branches.len().saturating_sub(1) as u64;
    attempt!(run.env.budget.charge(copies * ctx_bytes(&ctx)), ctx);
    // Pushed in reverse so the first branch runs first; the last push (branch 0) takes the
    // context instead of cloning it.
    let mut last = None;
    for (i, next) in branches.iter().enumerate().rev() {
        if i == 0 {
            last = Some(*next);
        } else {
            go(node, *next, ctx.clone(), &mut run.stack);
        }
    }
    if let Some(next) = last {
        go(node, next, ctx, &mut run.stack);
    }
    Stepped::Ok
}

fn variable(
    node: &GraphNode,
    slot: usize,
    value: &Param,
    next: Next,
    mut ctx: Ctx,
    run: &mut Run,
) -> Stepped {
    let v = attempt!(value.eval(&ctx, &run.env), ctx);
    set(&mut ctx, slot, v);
    go(node, next, ctx, &mut run.stack);
    Stepped::Ok
}

fn record_variable(
    node: &GraphNode,
    slot: usize,
    fields: &[(Value, Param)],
    next: Next,
    mut ctx: Ctx,
    run: &mut Run,
) -> Stepped {
    // Later fields read earlier ones through the variable; a failure (or a preemption, which
    // redoes the node) puts the old value back.
    let old = ctx.get(slot).cloned().unwrap_or_default();
    let mut m = Value::map_with_capacity(fields.len());
    for (k, p) in fields {
        match p.eval(&ctx, &run.env) {
            Ok(v) => {
                m.insert(k.clone(), v);
                set(&mut ctx, slot, Value::map(m.clone()));
            }
            Err(e) => {
                set(&mut ctx, slot, old);
                return Stepped::Failed(Box::new((e, ctx)));
            }
        }
    }
    let record = Value::map(m);
    if let Err(e) = run.env.budget.admit(&record) {
        set(&mut ctx, slot, old);
        return Stepped::Failed(Box::new((e.into(), ctx)));
    }
    set(&mut ctx, slot, record);
    go(node, next, ctx, &mut run.stack);
    Stepped::Ok
}

/// An enricher or processor: handed back to be called (it awaits), unless a test run skips
/// its effects.
/// Calls a service node's service (nothing for another node).
async fn invoke<'a>(
    node: Option<&'a GraphNode>,
    ctx: &'a Ctx,
    env: &'a EvalEnv,
) -> Result<Option<Value>, Failure> {
    match node.map(|n| &n.step) {
        Some(Step::Service { service, .. }) => service.invoke(ctx, env).await.map(Some),
        _ => Ok(None),
    }
}

fn service_step(
    node: &GraphNode,
    service: &dyn Service,
    slot: Option<usize>,
    next: Next,
    mut ctx: Ctx,
    run: &mut Run,
) -> Stepped {
    if run.skip_side_effects && service.has_side_effects() {
        if run.out.skipped_calls.len() < MAX_ERRORS {
            if let Some(request) = service.dry_run(&ctx, &run.env) {
                run.out.skipped_calls.push(SkippedCall {
                    node_id: node.id.clone(),
                    request,
                });
            }
        }
        if let Some(s) = slot {
            set(&mut ctx, s, Value::Null);
        }
        end_or_go(node, next, ctx, &mut run.stack);
        return Stepped::Ok;
    }
    Stepped::Call(ctx)
}

/// A custom node: a barrier waits for the batch; others transform the context at once.
fn custom(
    at: usize,
    node: &GraphNode,
    transformer: &dyn Transformer,
    next: Next,
    ctx: Ctx,
    run: &mut Run,
) -> Stepped {
    if transformer.barrier() {
        run.barriers.entry(at).or_default().push(ctx);
        return Stepped::Ok;
    }
    let results = transformer.apply(std::slice::from_ref(&ctx), &run.env);
    if run.env.budget.exhausted().is_some() {
        // Preempted or out of budget part way: the contexts made are dropped.
        let failure = results
            .into_iter()
            .find_map(Result::err)
            .unwrap_or(Failure::OutOfBudget);
        return Stepped::Failed(Box::new((failure, ctx)));
    }
    let mut cont = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(c) => cont.push(c),
            Err(e) => {
                if record(&mut run.out, &run.env.budget, node, e) {
                    return Stepped::Exhausted;
                }
            }
        }
    }
    for c in cont.into_iter().rev() {
        end_or_go(node, next, c, &mut run.stack);
    }
    Stepped::Ok
}

fn fragment_start(
    node: &GraphNode,
    assigns: &[(usize, Param)],
    next: Next,
    mut ctx: Ctx,
    run: &mut Run,
) -> Stepped {
    for (slot, p) in assigns {
        let v = attempt!(p.eval(&ctx, &run.env), ctx);
        set(&mut ctx, *slot, v);
    }
    go(node, next, ctx, &mut run.stack);
    Stepped::Ok
}

fn fragment_end(
    node: &GraphNode,
    output: Option<&(usize, Vec<(Value, Param)>)>,
    next: Next,
    mut ctx: Ctx,
    run: &mut Run,
) -> Stepped {
    if let Some((slot, fields)) = output {
        let mut m = Value::map_with_capacity(fields.len());
        for (k, p) in fields {
            let v = attempt!(p.eval(&ctx, &run.env), ctx);
            m.insert(k.clone(), v);
        }
        let record = Value::map(m);
        attempt!(run.env.budget.admit(&record), ctx);
        set(&mut ctx, *slot, record);
    }
    go(node, next, ctx, &mut run.stack);
    Stepped::Ok
}

fn sink_step(node: &GraphNode, sink: &dyn Sink, ctx: Ctx, run: &mut Run) -> Stepped {
    // Test runs evaluate sinks too: their values are the point of the test.
    if let Some(output) = attempt!(sink.emit(&ctx, &run.env), ctx) {
        // A sink's record is assembled from values already bounded, but a record of many big
        // fields can still be over the limits: each runtime checks it against them before
        // encoding it (the request-response answer, the Kafka sink, the test report's
        // `output_json`).
        run.out.outputs.push(SinkOutput {
            node_id: node.id.clone(),
            output,
        });
    }
    bump(node.counters.ended());
    Stepped::Ok
}

/// Records a failure of `node`; true when it exhausted the invocation's budget (the run is
/// then over: `out.exhausted` says why).
fn record(out: &mut RunResult, budget: &Budget, node: &GraphNode, failure: Failure) -> bool {
    bump(node.counters.errors());
    if out.errors.len() < MAX_ERRORS {
        out.errors.push(NodeError {
            node_id: node.id.clone(),
            failure,
        });
    } else {
        out.omitted_errors += 1;
    }
    match budget.exhausted() {
        Some(e @ (Exhausted::Deadline | Exhausted::Memory)) => {
            out.exhausted = Some(e);
            true
        }
        _ => false,
    }
}

/// What one node did with its context.
enum Stepped {
    /// Passed it on (or ended it).
    Ok,
    /// Its service is to be called with it.
    Call(Ctx),
    /// Failed: why, and the context to redo the node with if the run was preempted.
    Failed(Box<(Failure, Ctx)>),
    /// Another node's failure exhausted the budget.
    Exhausted,
}

/// Why [`Graph::run_nodes`] stopped.
enum Pause {
    Done,
    Preempted,
    /// Time for a yield to the executor.
    Yield,
    /// Service calls are pending (`Run::calls`).
    Calls,
}

/// Whether a stopped run is over or only paused.
fn run_flow(run: &Run) -> Flow {
    if run.out.exhausted.is_none() && run.env.budget.exhausted() == Some(Exhausted::Preempted) {
        Flow::Preempted
    } else {
        Flow::Done
    }
}

/// Continues to `next`, or records a dead end at `node`.
fn go(node: &GraphNode, next: Next, ctx: Ctx, stack: &mut Stack) {
    match next {
        Some(n) => stack.push((n, ctx)),
        None => bump(node.counters.dead_ended()),
    }
}

/// After a processor or custom node: a missing next ends the branch there (an "ending" node),
/// which counts as an end rather than a dead end.
fn end_or_go(node: &GraphNode, next: Next, ctx: Ctx, stack: &mut Stack) {
    match next {
        Some(n) => stack.push((n, ctx)),
        None => bump(node.counters.ended()),
    }
}
