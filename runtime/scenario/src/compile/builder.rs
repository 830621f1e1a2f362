use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use scenic_spel::{EvalEnv, Scope, Str, Type, Value};

use super::fragments::FragmentSource;
use super::nodes::{self, Here, Then};
use super::CompileError;
use crate::graph::{
    Graph, GraphNode, Next, NodeCounters, Param, ParamCompiler, Registry, Source, Step,
};
use crate::model::{Expression, Node, Parameter, ScenarioFile, ScenarioType};
use crate::schema::JsonSchema;
use crate::CompiledScenario;

/// What compilation needs besides the file.
pub struct CompileOptions<'a> {
    pub registry: &'a Registry,
    pub fragments: &'a dyn FragmentSource,
    pub env: EvalEnv,
    pub limits: ScenarioLimits,
}

/// The limits of a deployment (`decisions.md` §10, `docs/limits.md`): of its expressions'
/// evaluations, and of the scenario itself, checked while it compiles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScenarioLimits {
    pub eval: scenic_spel::limits::Limits,
    /// Most nodes a scenario may have once its fragments are inlined (a fragment used twice
    /// counts twice; nested uses multiply).
    pub max_nodes: usize,
    /// Deepest nesting of fragments inside fragments.
    pub max_fragment_depth: usize,
    /// Longest expression text, in bytes.
    pub max_expression_bytes: usize,
    /// Longest a compilation may take; past it, the deploy is refused.
    pub compile_timeout: std::time::Duration,
}

impl ScenarioLimits {
    pub const DEFAULT: ScenarioLimits = ScenarioLimits {
        eval: scenic_spel::limits::Limits::DEFAULT,
        max_nodes: 10_000,
        max_fragment_depth: 16,
        max_expression_bytes: 64 << 10,
        compile_timeout: std::time::Duration::from_secs(10),
    };
}

impl Default for ScenarioLimits {
    fn default() -> Self {
        ScenarioLimits::DEFAULT
    }
}

/// The variables visible at a point of the graph: name, slot, type. A persistent map, so the
/// copy every node and branch takes is O(1) and compiling stays linear in the scenario's size
/// (issue #9: 20,000 variables took 28 s).
#[derive(Clone, Debug, Default)]
pub(super) struct VarScope {
    vars: Scope,
}

impl VarScope {
    pub(super) fn declare(&mut self, name: &str, slot: usize, ty: Type) {
        self.vars.declare_at(name, ty, slot);
    }
    fn spel(&self, total_slots: usize, meta: &Value) -> Scope {
        let mut s = self.vars.clone();
        s.set_helpers(true);
        s.declare_const("meta", meta.clone());
        // Every slot is reserved so expressions index a full context.
        s.reserve_slots(total_slots);
        s
    }
}

/// A fragment being inlined: where its outputs continue in the parent.
pub(super) struct Frame<'f> {
    /// The fragment being inlined (its id in the fragments folder).
    pub(super) fragment: String,
    pub(super) prefix: String,
    pub(super) parent_scope: VarScope,
    pub(super) outputs: &'f indexmap::IndexMap<String, Vec<Node>>,
    pub(super) output_names: &'f indexmap::IndexMap<String, String>,
    pub(super) parent_frame: Option<&'f Frame<'f>>,
}

pub(super) struct JoinState {
    /// Incoming branches: branch id, the node index of the branch end, the scope there.
    pub(super) incoming: Vec<(String, usize, VarScope)>,
}

pub(super) struct Builder<'a> {
    pub(super) opts: &'a CompileOptions<'a>,
    pub(super) nodes: Vec<GraphNode>,
    pub(super) errors: Vec<CompileError>,
    pub(super) slots: HashMap<String, usize>,
    pub(super) properties: indexmap::IndexMap<String, String>,
    /// The scenario's name (`metaData.id`).
    pub(super) scenario_name: String,
    pub(super) output_schema: Option<Option<Arc<JsonSchema>>>,
    pub(super) source: Option<Arc<dyn Source>>,
    /// Slots of the source's variables besides `#input` (`Source::variables`), in order.
    pub(super) source_vars: Vec<usize>,
    pub(super) joins: HashMap<String, JoinState>,
    pub(super) ids: HashSet<String>,
    pub(super) meta: Value,
    /// When compiling must be over (`ScenarioLimits::compile_timeout`).
    pub(super) deadline: std::time::Instant,
    /// Set once a scenario-wide limit is reached: compiling stops there, with that error.
    pub(super) aborted: bool,
}

fn placeholder() -> Step {
    Step::Split {
        branches: Vec::new(),
    }
}

/// Compiles a scenario file. Every problem found is returned.
pub fn compile_scenario(
    file: &ScenarioFile,
    opts: &CompileOptions<'_>,
) -> Result<CompiledScenario, Vec<CompileError>> {
    let scenario_type = file
        .meta
        .scenario_type()
        .map_err(|e| vec![CompileError::scenario(e)])?;
    if scenario_type == ScenarioType::Fragment {
        return Err(vec![CompileError::scenario(
            "A fragment cannot be deployed on its own; it is used through FragmentInput nodes",
        )]);
    }
    let mut b = Builder {
        opts,
        nodes: Vec::new(),
        errors: Vec::new(),
        slots: HashMap::new(),
        properties: file.meta.properties(),
        scenario_name: file.meta.id.clone(),
        output_schema: None,
        source: None,
        source_vars: Vec::new(),
        joins: HashMap::new(),
        ids: HashSet::new(),
        meta: Value::Null,
        deadline: std::time::Instant::now() + opts.limits.compile_timeout,
        aborted: false,
    };
    b.meta = meta_value(&file.meta.id, &b.properties);
    let input_slot = b.slot("input");
    let base = VarScope::default();

    // Unique node ids across the whole scenario.
    let mut all: Vec<&Node> = Vec::new();
    for list in std::iter::once(&file.nodes).chain(file.additional_branches.iter()) {
        collect_nodes(list, &mut all);
    }
    let mut seen = HashSet::new();
    for n in &all {
        if let Node::BranchEndData { .. } = n {
            continue;
        }
        if !seen.insert(n.id().to_string()) {
            b.errors.push(CompileError::node(
                n.id(),
                format!("Duplicate node id '{}'", n.id()),
            ));
        }
    }
    b.ids = seen;

    if file.nodes.is_empty() {
        b.errors
            .push(CompileError::scenario("Empty scenario: it has no nodes"));
        return Err(b.errors);
    }
    let mut start = None;
    let roots: Vec<&Vec<Node>> = std::iter::once(&file.nodes)
        .chain(file.additional_branches.iter())
        .collect();
    let mut pending_joins: Vec<&Vec<Node>> = Vec::new();
    let mut sources = 0;
    for list in &roots {
        match list.first() {
            Some(Node::Source { .. }) => {
                sources += 1;
                if sources > 1 {
                    // `nussknacker-lite.md` §2.3: exactly one source for request-response;
                    // streaming scenarios with several sources are not supported yet (they
                    // were silently cut to the first one).
                    let why = if scenario_type == ScenarioType::RequestResponse {
                        "More than one source for request-response"
                    } else {
                        "More than one source: Scenic runs streaming scenarios with one source only"
                    };
                    b.errors.push(CompileError::node(list[0].id(), why));
                    continue;
                }
                let first = b.chain(list, base.clone(), None, input_slot);
                if start.is_none() {
                    start = first;
                }
            }
            Some(Node::Join { .. }) => pending_joins.push(list),
            Some(other) => b.errors.push(CompileError::node(
                other.id(),
                format!(
                    "Invalid root node '{}' ({}): a root branch starts with a Source or a Join",
                    other.id(),
                    other.kind()
                ),
            )),
            None => b.errors.push(CompileError::scenario("Empty root branch")),
        }
    }
    // Joins compile once every branch into them is known; chained joins need several rounds.
    let mut rounds = 0;
    while !pending_joins.is_empty() && rounds <= roots.len() {
        rounds += 1;
        let mut still = Vec::new();
        for list in pending_joins {
            let Some(Node::Join { id, .. }) = list.first() else {
                continue;
            };
            let expected = list_expected_branches(list);
            let ready = b.joins.get(id.as_str()).is_some_and(|j| {
                expected
                    .iter()
                    .all(|e| j.incoming.iter().any(|(bid, _, _)| bid == e))
            });
            if ready || rounds > roots.len() {
                b.join(list, input_slot);
            } else {
                still.push(list);
            }
        }
        pending_joins = still;
    }
    for list in pending_joins {
        b.join(list, input_slot);
    }
    for (join_id, state) in &b.joins {
        if !b.ids.contains(join_id) {
            for (_, at, _) in &state.incoming {
                let id = b
                    .nodes
                    .get(*at)
                    .map(|n| n.id.to_string())
                    .unwrap_or_default();
                b.errors.push(CompileError::node(
                    &id,
                    format!("Branch end points at join '{join_id}', which does not exist"),
                ));
            }
        }
    }
    let source = match (&b.source, start) {
        (Some(s), Some(st)) => (s.clone(), st),
        _ => {
            if b.errors.is_empty() {
                b.errors.push(CompileError::scenario("No source found"));
            }
            return Err(b.errors);
        }
    };
    if let Some(slug) = b.properties.get("slug").filter(|s| !s.is_empty()) {
        if *slug != crate::scenario::default_slug(slug) {
            b.errors.push(CompileError::scenario(format!(
                "Illegal slug: '{slug}'. Slug should contain only unreserved url path characters: a-zA-Z0-9\\-._~"
            )));
        }
    }
    if !b.errors.is_empty() {
        return Err(b.errors);
    }
    let slots = b.slots.len();
    let mut slot_names = vec![String::new(); slots];
    for (name, slot) in &b.slots {
        if let Some(n) = slot_names.get_mut(*slot) {
            *n = name.clone();
        }
    }
    let graph = Graph {
        nodes: b.nodes,
        start: source.1,
        slots,
        input_slot,
        source_vars: b.source_vars,
        slot_names,
        source: source.0,
        env: opts.env.clone(),
        limits: opts.limits.eval,
    };
    Ok(CompiledScenario::new(
        file,
        scenario_type,
        b.properties,
        graph,
    ))
}

fn list_expected_branches(list: &[Node]) -> Vec<String> {
    match list.first() {
        Some(Node::Join {
            branch_parameters, ..
        }) => branch_parameters
            .iter()
            .map(|b| b.branch_id.clone())
            .collect(),
        _ => Vec::new(),
    }
}

pub(super) fn collect_nodes<'n>(list: &'n [Node], out: &mut Vec<&'n Node>) {
    for n in list {
        out.push(n);
        match n {
            Node::Filter { next_false, .. } => collect_nodes(next_false, out),
            Node::Switch {
                nexts,
                default_next,
                ..
            } => {
                for c in nexts {
                    collect_nodes(&c.nodes, out);
                }
                collect_nodes(default_next, out);
            }
            Node::Split { nexts, .. } => {
                for l in nexts {
                    collect_nodes(l, out);
                }
            }
            Node::FragmentInput { outputs, .. } => {
                for l in outputs.values() {
                    collect_nodes(l, out);
                }
            }
            _ => {}
        }
    }
}

/// `#meta`: `Record{processName, properties: Record{...}, scenarioLabels}`.
fn meta_value(name: &str, properties: &indexmap::IndexMap<String, String>) -> Value {
    let mut props = Value::new_map();
    for (k, v) in properties {
        props.insert(Value::str(k), Value::str(v));
    }
    let mut m = Value::new_map();
    m.insert(Value::str("processName"), Value::str(name));
    m.insert(Value::str("properties"), Value::map(props));
    m.insert(Value::str("scenarioLabels"), Value::list(Vec::new()));
    Value::map(m)
}

impl Builder<'_> {
    pub(super) fn slot(&mut self, qualified: &str) -> usize {
        let n = self.slots.len();
        *self.slots.entry(qualified.to_string()).or_insert(n)
    }

    /// Stops compiling at a scenario-wide limit: too many nodes (fragments inlined), or past
    /// the compile deadline. One error, then every `chain` returns at once.
    fn over_limits(&mut self, id: &str) -> bool {
        if self.aborted {
            return true;
        }
        let limits = &self.opts.limits;
        let why = if self.nodes.len() >= limits.max_nodes {
            format!(
                "The scenario has more than {} nodes once its fragments are inlined",
                limits.max_nodes
            )
        } else if std::time::Instant::now() > self.deadline {
            format!(
                "Compiling the scenario took longer than {} s",
                limits.compile_timeout.as_secs_f64()
            )
        } else {
            return false;
        };
        self.errors.push(CompileError::node(id, why));
        self.aborted = true;
        true
    }

    fn push(&mut self, id: &str, step: Step) -> usize {
        self.nodes.push(GraphNode {
            id: Arc::from(id),
            step,
            counters: Arc::new(NodeCounters::default()),
        });
        self.nodes.len() - 1
    }

    pub(super) fn set(&mut self, at: usize, step: Step) {
        if let Some(n) = self.nodes.get_mut(at) {
            n.step = step;
        }
    }

    fn node_id(frame: Option<&Frame<'_>>, id: &str) -> String {
        match frame {
            Some(f) => format!("{}{}", f.prefix, id),
            None => id.to_string(),
        }
    }

    /// A variable's slot: fragment variables live in their own slots.
    pub(super) fn var_slot(&mut self, frame: Option<&Frame<'_>>, name: &str) -> usize {
        match frame {
            Some(f) => {
                let q = format!("{}{}", f.prefix, name);
                self.slot(&q)
            }
            None => self.slot(name),
        }
    }

    /// Compiles a list of nodes; returns the index of its first node (`None`: empty list).
    pub(super) fn chain(
        &mut self,
        list: &[Node],
        mut scope: VarScope,
        frame: Option<&Frame<'_>>,
        input_slot: usize,
    ) -> Next {
        let mut first: Next = None;
        // The node whose `next` the following node fills in.
        let mut pending: Option<usize> = None;
        #[allow(unused_assignments)]
        for (i, node) in list.iter().enumerate() {
            let last = i + 1 == list.len();
            let id = Self::node_id(frame, node.id());
            if self.over_limits(&id) {
                return first;
            }
            if node.is_disabled() {
                // Disabled nodes are removed before compiling (`nussknacker-lite.md` §1.6).
                match node {
                    Node::Filter { .. } | Node::Processor { .. } => continue,
                    Node::Sink { .. } => continue,
                    Node::FragmentInput { outputs, .. } => {
                        if outputs.len() != 1 {
                            self.errors.push(CompileError::node(
                                &id,
                                "A disabled fragment must have exactly one output",
                            ));
                            return first;
                        }
                        if let Some(rest) = outputs.values().next() {
                            let n = self.chain(rest, scope.clone(), frame, input_slot);
                            self.link(&mut first, pending, n);
                        }
                        return first;
                    }
                    _ => {}
                }
            }
            let at = self.push(&id, placeholder());
            self.link(&mut first, pending, Some(at));
            let here = Here {
                at,
                id: &id,
                last,
                frame,
                input_slot,
            };
            match nodes::compile_node(self, node, &mut scope, &here) {
                Then::Next => pending = Some(at),
                Then::End => return first,
            }
            if last {
                // The branch ends on a node that passes contexts on: only filters, processors
                // and custom nodes may end a branch this way.
                let ok = matches!(
                    node,
                    Node::Filter { .. }
                        | Node::Processor { .. }
                        | Node::CustomNode { .. }
                        | Node::FragmentUsageOutput { .. }
                );
                if !ok {
                    self.errors.push(CompileError::node(
                        &id,
                        format!("Invalid end of branch: '{}' ({}) cannot be the last node; end the branch with a sink", node.id(), node.kind()),
                    ));
                }
            }
        }
        first
    }

    /// Fills the `next` of `pending` (or sets `first`) with `n`.
    fn link(&mut self, first: &mut Next, pending: Option<usize>, n: Next) {
        match pending {
            None => {
                if first.is_none() {
                    *first = n;
                }
            }
            Some(p) => {
                if let Some(node) = self.nodes.get_mut(p) {
                    match &mut node.step {
                        Step::Source { next }
                        | Step::Variable { next, .. }
                        | Step::Record { next, .. }
                        | Step::Service { next, .. }
                        | Step::Custom { next, .. }
                        | Step::Join { next, .. }
                        | Step::FragmentStart { next, .. }
                        | Step::FragmentEnd { next, .. } => *next = n,
                        Step::Filter { on_true, .. } => *on_true = n,
                        _ => {}
                    }
                }
            }
        }
    }

    fn join(&mut self, list: &[Node], input_slot: usize) {
        let Some(Node::Join {
            id,
            output_var,
            node_type,
            parameters,
            branch_parameters,
        }) = list.first()
        else {
            return;
        };
        let factory = self.opts.registry.joins.get(node_type).cloned();
        let at = self.push(id, placeholder());
        let Some(factory) = factory else {
            self.errors.push(CompileError::node(
                id,
                format!("Unknown join component '{node_type}'"),
            ));
            return;
        };
        let incoming = self
            .joins
            .get(id.as_str())
            .map(|j| j.incoming.clone())
            .unwrap_or_default();
        let out_slot = output_var
            .as_deref()
            .filter(|v| !v.is_empty())
            .map(|v| self.slot(v));
        let total = self.slots.len();
        // One parameter compiler per incoming branch, in that branch's scope.
        let mut errors = Vec::new();
        let mut compiled_branches: Vec<BranchParams> = Vec::new();
        for (bid, _, scope) in &incoming {
            let params: Vec<Parameter> = branch_parameters
                .iter()
                .find(|b| &b.branch_id == bid)
                .map(|b| b.parameters.clone())
                .unwrap_or_default();
            compiled_branches.push(BranchParams {
                meta: self.meta.clone(),
                limits: self.opts.limits,
                node: id.clone(),
                branch: Some(bid.clone()),
                params,
                scope: scope.clone(),
                total,
                errors: Vec::new(),
            });
        }
        let mut join_pc = BranchParams {
            meta: self.meta.clone(),
            limits: self.opts.limits,
            node: id.clone(),
            branch: None,
            params: parameters.clone(),
            scope: VarScope::default(),
            total,
            errors: Vec::new(),
        };
        let made = {
            let mut refs: Vec<&mut dyn ParamCompiler> = compiled_branches
                .iter_mut()
                .map(|b| b as &mut dyn ParamCompiler)
                .collect();
            factory.create(&mut join_pc, &mut refs, out_slot, total)
        };
        for b in compiled_branches {
            errors.extend(b.errors);
        }
        errors.extend(join_pc.errors);
        self.errors.extend(errors);
        let Some((join, ty)) = made else { return };
        // Branch ends point at this join, in the order the factory saw them.
        for (i, (_, end_at, _)) in incoming.iter().enumerate() {
            self.set(
                *end_at,
                Step::BranchEnd {
                    join: at,
                    branch: i,
                },
            );
        }
        let mut scope = VarScope::default();
        if let (Some(v), Some(s), Some(ty)) = (output_var.as_deref(), out_slot, ty) {
            scope.declare(v, s, ty);
        }
        let next = self.chain(&list[1..], scope, None, input_slot);
        self.set(at, Step::Join { join, next });
        if list.len() == 1 {
            self.errors.push(CompileError::node(
                id,
                "A join must be followed by the rest of its branch",
            ));
        }
    }

    /// Compiles the fields of an output record (fragment outputs): its type and the fields.
    pub(super) fn record_fields(
        &mut self,
        node: &str,
        fields: &[crate::model::Field],
        scope: &VarScope,
    ) -> (Type, Vec<(Value, Param)>) {
        let mut types = Type::empty_fields();
        let mut compiled = Vec::with_capacity(fields.len());
        for fd in fields {
            if let Some(p) = self.expression(node, &fd.name, &fd.expression, scope, None) {
                types.insert(Str::from(fd.name.as_str()), p.static_type().without_value());
                compiled.push((Value::str(&fd.name), p));
            }
        }
        (Type::record(types), compiled)
    }

    /// Compiles one expression field of a node.
    pub(super) fn expression(
        &mut self,
        node: &str,
        param: &str,
        e: &Expression,
        scope: &VarScope,
        expected: Option<&Type>,
    ) -> Option<Param> {
        let total = self.slots.len();
        match compile_expression(
            node,
            param,
            e,
            scope,
            expected,
            total,
            &self.meta,
            &self.opts.limits,
        ) {
            Ok(p) => Some(p),
            Err(errs) => {
                self.errors.extend(errs);
                None
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn compile_expression(
    node: &str,
    param: &str,
    e: &Expression,
    scope: &VarScope,
    expected: Option<&Type>,
    total: usize,
    meta: &Value,
    limits: &ScenarioLimits,
) -> Result<Param, Vec<CompileError>> {
    if e.expression.len() > limits.max_expression_bytes {
        return Err(vec![CompileError::param(
            node,
            param,
            format!(
                "The expression is {} bytes long, over the limit of {} bytes",
                e.expression.len(),
                limits.max_expression_bytes
            ),
        )]);
    }
    let template = match e.language.as_str() {
        "spel" => false,
        "spelTemplate" => true,
        other => {
            return Err(vec![CompileError::param(
                node,
                param,
                format!("Unsupported expression language '{other}'"),
            )])
        }
    };
    let spel_scope = scope.spel(total, meta);
    let opts = scenic_spel::CompileOptions {
        expected: expected.cloned(),
        template,
        limits: limits.eval,
    };
    let limit = limits.eval.max_value_depth as usize;
    scenic_spel::compile(&e.expression, &spel_scope, &opts)
        .map_err(|errs| {
            errs.0
                .into_iter()
                .map(|d| CompileError {
                    node_id: Some(node.to_string()),
                    parameter: Some(param.to_string()),
                    line: Some(d.line),
                    column: Some(d.column),
                    message: d.message(),
                })
                .collect::<Vec<_>>()
        })
        .and_then(|expr| {
            // Types nest one level per node that wraps a variable in a record: bounded here,
            // so that nothing typing them later recurses without end.
            let depth = expr.static_type().depth();
            if depth > limit {
                return Err(vec![CompileError::param(
                    node,
                    param,
                    format!(
                        "The expression's type is nested {depth} levels deep, over the limit of {limit}"
                    ),
                )]);
            }
            Ok(expr)
        })
        .map(|expr| Param {
            name: Arc::from(param),
            expr,
        })
}

/// Parameters of one node compiled in one scope.
pub(super) struct NodeParams<'b, 'a> {
    b: &'b mut Builder<'a>,
    node: String,
    params: Vec<Parameter>,
    scope: VarScope,
}

impl<'b, 'a> NodeParams<'b, 'a> {
    pub(super) fn new(
        b: &'b mut Builder<'a>,
        node: &str,
        params: Vec<&Parameter>,
        scope: VarScope,
    ) -> Self {
        NodeParams {
            b,
            node: node.to_string(),
            params: params.into_iter().cloned().collect(),
            scope,
        }
    }
}

impl ParamCompiler for NodeParams<'_, '_> {
    fn node_id(&self) -> &str {
        &self.node
    }
    fn raw(&self, name: &str) -> Option<&Expression> {
        self.params
            .iter()
            .find(|p| p.name == name)
            .map(|p| &p.expression)
    }
    fn names(&self) -> Vec<String> {
        self.params.iter().map(|p| p.name.clone()).collect()
    }
    fn compile(&mut self, name: &str, expected: Option<&Type>) -> Option<Param> {
        let e = self.raw(name)?.clone();
        self.b
            .expression(&self.node.clone(), name, &e, &self.scope.clone(), expected)
    }
    fn compile_with(
        &mut self,
        name: &str,
        expected: Option<&Type>,
        extra: &[(&str, Type)],
    ) -> Option<(Param, Vec<usize>)> {
        let e = self.raw(name)?.clone();
        let mut scope = self.scope.clone();
        let mut slots = Vec::new();
        for (n, t) in extra {
            let s = self.b.slot(&format!("{}\u{0}{n}", self.node));
            scope.declare(n, s, t.clone());
            slots.push(s);
        }
        let p = self
            .b
            .expression(&self.node.clone(), name, &e, &scope, expected)?;
        Some((p, slots))
    }
    fn error(&mut self, parameter: Option<&str>, message: String) {
        self.b.errors.push(CompileError {
            node_id: Some(self.node.clone()),
            parameter: parameter.map(str::to_string),
            line: None,
            column: None,
            message,
        });
    }
    fn property(&self, name: &str) -> Option<String> {
        self.b.properties.get(name).cloned()
    }
    fn scenario_name(&self) -> &str {
        &self.b.scenario_name
    }
    fn output_schema(&mut self) -> Option<Arc<JsonSchema>> {
        if let Some(s) = &self.b.output_schema {
            return s.clone();
        }
        let parsed = match self.b.properties.get("outputSchema") {
            Some(text) => match JsonSchema::parse("outputSchema", text) {
                Ok(s) => Some(Arc::new(s)),
                Err(e) => {
                    self.b
                        .errors
                        .push(CompileError::node(&self.node, e.to_string()));
                    None
                }
            },
            None => None,
        };
        self.b.output_schema = Some(parsed.clone());
        parsed
    }
    fn slots(&self) -> usize {
        self.b.slots.len()
    }
}

/// Parameters of a join's branch (`branch` set) or of the join itself, compiled without access to
/// the builder (joins need several of these at once).
struct BranchParams {
    meta: Value,
    limits: ScenarioLimits,
    node: String,
    branch: Option<String>,
    params: Vec<Parameter>,
    scope: VarScope,
    total: usize,
    errors: Vec<CompileError>,
}

impl BranchParams {
    /// `name (branch)` for a branch's parameter, `name` for the join's own.
    fn label(&self, name: &str) -> String {
        match &self.branch {
            Some(b) => format!("{name} ({b})"),
            None => name.to_string(),
        }
    }
}

impl ParamCompiler for BranchParams {
    fn node_id(&self) -> &str {
        self.branch.as_deref().unwrap_or(&self.node)
    }
    fn raw(&self, name: &str) -> Option<&Expression> {
        self.params
            .iter()
            .find(|p| p.name == name)
            .map(|p| &p.expression)
    }
    fn names(&self) -> Vec<String> {
        self.params.iter().map(|p| p.name.clone()).collect()
    }
    fn compile(&mut self, name: &str, expected: Option<&Type>) -> Option<Param> {
        let e = self.raw(name)?.clone();
        let label = self.label(name);
        match compile_expression(
            &self.node,
            &label,
            &e,
            &self.scope,
            expected,
            self.total,
            &self.meta,
            &self.limits,
        ) {
            Ok(p) => Some(p),
            Err(errs) => {
                self.errors.extend(errs);
                None
            }
        }
    }
    fn compile_with(
        &mut self,
        name: &str,
        expected: Option<&Type>,
        extra: &[(&str, Type)],
    ) -> Option<(Param, Vec<usize>)> {
        // A join's slots are fixed before its parameters compile (every branch shares them),
        // so there is none to give extra variables: refuse rather than compile the expression
        // without them.
        if !extra.is_empty() {
            let names: Vec<String> = extra.iter().map(|(n, _)| format!("#{n}")).collect();
            self.error(
                Some(name),
                format!(
                    "Variables {} are not available in a join's parameters",
                    names.join(", ")
                ),
            );
            return None;
        }
        self.compile(name, expected).map(|p| (p, Vec::new()))
    }
    fn error(&mut self, parameter: Option<&str>, message: String) {
        let parameter = match (&self.branch, parameter) {
            (Some(_), p) => Some(self.label(p.unwrap_or(""))),
            (None, p) => p.map(str::to_string),
        };
        self.errors.push(CompileError {
            node_id: Some(self.node.clone()),
            parameter,
            line: None,
            column: None,
            message,
        });
    }
    fn property(&self, _name: &str) -> Option<String> {
        None
    }
    fn output_schema(&mut self) -> Option<Arc<JsonSchema>> {
        None
    }
    fn slots(&self) -> usize {
        self.total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn branch_params(expression: &str) -> BranchParams {
        BranchParams {
            meta: Value::Null,
            limits: ScenarioLimits::default(),
            node: "join".into(),
            branch: Some("left".into()),
            params: vec![Parameter {
                name: "value".into(),
                expression: Expression {
                    language: "spel".into(),
                    expression: expression.into(),
                },
            }],
            scope: VarScope::default(),
            total: 1,
            errors: Vec::new(),
        }
    }

    #[test]
    fn a_join_parameter_with_extra_variables_is_refused_not_compiled_without_them() {
        let mut pc = branch_params("#ROW.a");
        let made = pc.compile_with("value", None, &[("ROW", Type::Unknown)]);
        assert!(made.is_none());
        assert_eq!(pc.errors.len(), 1, "{:?}", pc.errors);
        assert_eq!(pc.errors[0].node_id.as_deref(), Some("join"));
        assert_eq!(pc.errors[0].parameter.as_deref(), Some("value (left)"));
        assert!(
            pc.errors[0].message.contains("#ROW"),
            "{}",
            pc.errors[0].message
        );
    }

    #[test]
    fn a_join_parameter_without_extra_variables_compiles() {
        let mut pc = branch_params("1 + 2");
        let made = pc.compile_with("value", None, &[]);
        assert!(made.is_some(), "{:?}", pc.errors);
        assert!(pc.errors.is_empty());
    }
}
