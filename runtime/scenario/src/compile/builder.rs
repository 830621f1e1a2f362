use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use scenic_spel::types::Class;
use scenic_spel::{EvalEnv, Scope, Str, Type, Value};

use super::fragments::FragmentSource;
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
struct VarScope {
    vars: Scope,
}

impl VarScope {
    fn declare(&mut self, name: &str, slot: usize, ty: Type) {
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
struct Frame<'f> {
    /// The fragment being inlined (its id in the fragments folder).
    fragment: String,
    prefix: String,
    parent_scope: VarScope,
    outputs: &'f indexmap::IndexMap<String, Vec<Node>>,
    output_names: &'f indexmap::IndexMap<String, String>,
    parent_frame: Option<&'f Frame<'f>>,
}

struct JoinState {
    /// Incoming branches: branch id, the node index of the branch end, the scope there.
    incoming: Vec<(String, usize, VarScope)>,
}

struct Builder<'a> {
    opts: &'a CompileOptions<'a>,
    nodes: Vec<GraphNode>,
    errors: Vec<CompileError>,
    slots: HashMap<String, usize>,
    properties: indexmap::IndexMap<String, String>,
    output_schema: Option<Option<Arc<JsonSchema>>>,
    source: Option<Arc<dyn Source>>,
    /// Slots of the source's variables besides `#input` (`Source::variables`), in order.
    source_vars: Vec<usize>,
    joins: HashMap<String, JoinState>,
    ids: HashSet<String>,
    meta: Value,
    /// When compiling must be over (`ScenarioLimits::compile_timeout`).
    deadline: std::time::Instant,
    /// Set once a scenario-wide limit is reached: compiling stops there, with that error.
    aborted: bool,
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

fn collect_nodes<'n>(list: &'n [Node], out: &mut Vec<&'n Node>) {
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
    fn slot(&mut self, qualified: &str) -> usize {
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

    fn set(&mut self, at: usize, step: Step) {
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
    fn var_slot(&mut self, frame: Option<&Frame<'_>>, name: &str) -> usize {
        match frame {
            Some(f) => {
                let q = format!("{}{}", f.prefix, name);
                self.slot(&q)
            }
            None => self.slot(name),
        }
    }

    /// Compiles a list of nodes; returns the index of its first node (`None`: empty list).
    fn chain(
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
            match node {
                Node::Source { component, .. } => {
                    let factory = self.opts.registry.sources.get(&component.typ).cloned();
                    let src = match factory {
                        Some(factory) => {
                            let mut pc = NodeParams::new(
                                self,
                                &id,
                                component.parameters.iter().collect(),
                                scope.clone(),
                            );
                            factory.create(&mut pc)
                        }
                        None => {
                            self.errors.push(CompileError::node(
                                &id,
                                format!("Unknown source component '{}'", component.typ),
                            ));
                            // Keep compiling the rest with `#input` of unknown type.
                            scope.declare("input", input_slot, Type::Unknown);
                            None
                        }
                    };
                    if let Some(src) = src {
                        scope.declare("input", input_slot, src.output_type());
                        let first = self.source.is_none();
                        for (name, t) in src.variables() {
                            let slot = self.slot(&name);
                            scope.declare(&name, slot, t);
                            if first {
                                self.source_vars.push(slot);
                            }
                        }
                        if first {
                            self.source = Some(src);
                        }
                    }
                    self.set(at, Step::Source { next: None });
                    pending = Some(at);
                }
                Node::Filter {
                    expression,
                    next_false,
                    ..
                } => {
                    let cond = self.expression(
                        &id,
                        "expression",
                        expression,
                        &scope,
                        Some(&Type::boolean()),
                    );
                    let on_false = self.chain(next_false, scope.clone(), frame, input_slot);
                    if last && next_false.is_empty() {
                        self.errors.push(CompileError::node(&id, "A filter must lead somewhere: both its true and false branches are empty"));
                    }
                    if let Some(cond) = cond {
                        self.set(
                            at,
                            Step::Filter {
                                cond,
                                on_true: None,
                                on_false,
                            },
                        );
                    }
                    pending = Some(at);
                }
                Node::Switch {
                    expression,
                    expr_val,
                    nexts,
                    default_next,
                    ..
                } => {
                    let mut case_scope = scope.clone();
                    let mut ev = None;
                    if let (Some(e), Some(name)) = (expression, expr_val) {
                        if !e.expression.trim().is_empty() {
                            if let Some(p) = self.expression(&id, "expression", e, &scope, None) {
                                let slot = self.var_slot(frame, name);
                                case_scope.declare(name, slot, p.static_type().without_value());
                                ev = Some((slot, p));
                            }
                        }
                    }
                    let mut cases = Vec::new();
                    for (ci, case) in nexts.iter().enumerate() {
                        let p = self.expression(
                            &id,
                            &format!("case {}", ci + 1),
                            &case.expression,
                            &case_scope,
                            Some(&Type::boolean()),
                        );
                        let n = self.chain(&case.nodes, case_scope.clone(), frame, input_slot);
                        if let Some(p) = p {
                            cases.push((p, n));
                        }
                    }
                    let default = self.chain(default_next, case_scope.clone(), frame, input_slot);
                    self.set(
                        at,
                        Step::Switch {
                            cases,
                            default,
                            expr_val: ev,
                        },
                    );
                    if !last {
                        self.errors.push(CompileError::node(
                            &id,
                            "A choice must be the last node of its branch",
                        ));
                    }
                    return first;
                }
                Node::Split { nexts, .. } => {
                    let branches = nexts
                        .iter()
                        .map(|l| self.chain(l, scope.clone(), frame, input_slot))
                        .collect();
                    self.set(at, Step::Split { branches });
                    if !last {
                        self.errors.push(CompileError::node(
                            &id,
                            "A split must be the last node of its branch",
                        ));
                    }
                    return first;
                }
                Node::Variable {
                    var_name, value, ..
                } => {
                    let p = self.expression(&id, "value", value, &scope, None);
                    let slot = self.var_slot(frame, var_name);
                    let ty = p
                        .as_ref()
                        .map(|p| p.static_type().without_value())
                        .unwrap_or(Type::Unknown);
                    scope.declare(var_name, slot, ty);
                    if let Some(value) = p {
                        self.set(
                            at,
                            Step::Variable {
                                slot,
                                value,
                                next: None,
                            },
                        );
                    }
                    pending = Some(at);
                }
                Node::VariableBuilder {
                    var_name, fields, ..
                } => {
                    let slot = self.var_slot(frame, var_name);
                    let mut ftypes = Type::empty_fields();
                    let mut compiled = Vec::new();
                    let mut field_scope = scope.clone();
                    for f in fields {
                        let p = self.expression(&id, &f.name, &f.expression, &field_scope, None);
                        if let Some(p) = p {
                            ftypes.insert(
                                Str::from(f.name.as_str()),
                                p.static_type().without_value(),
                            );
                            compiled.push((Value::str(&f.name), p));
                        }
                        field_scope.declare(var_name, slot, Type::record(ftypes.clone()));
                    }
                    scope.declare(var_name, slot, Type::record(ftypes));
                    self.set(
                        at,
                        Step::Record {
                            slot,
                            fields: compiled,
                            next: None,
                        },
                    );
                    pending = Some(at);
                }
                Node::Enricher {
                    service, output, ..
                } => {
                    let factory = self.opts.registry.services.get(&service.id).cloned();
                    let made = match factory {
                        Some(factory) => {
                            let mut pc = NodeParams::new(
                                self,
                                &id,
                                service.parameters.iter().collect(),
                                scope.clone(),
                            );
                            factory.create(&mut pc)
                        }
                        None => {
                            self.errors.push(CompileError::node(
                                &id,
                                format!("Unknown enricher component '{}'", service.id),
                            ));
                            None
                        }
                    };
                    let slot = self.var_slot(frame, output);
                    if let Some((svc, ty)) = made {
                        scope.declare(output, slot, ty);
                        self.set(
                            at,
                            Step::Service {
                                service: svc,
                                slot: Some(slot),
                                next: None,
                            },
                        );
                    } else {
                        scope.declare(output, slot, Type::Unknown);
                    }
                    pending = Some(at);
                }
                Node::Processor { service, .. } => {
                    let factory = self.opts.registry.services.get(&service.id).cloned();
                    match factory {
                        Some(factory) => {
                            let mut pc = NodeParams::new(
                                self,
                                &id,
                                service.parameters.iter().collect(),
                                scope.clone(),
                            );
                            if let Some((svc, _)) = factory.create(&mut pc) {
                                self.set(
                                    at,
                                    Step::Service {
                                        service: svc,
                                        slot: None,
                                        next: None,
                                    },
                                );
                            }
                        }
                        None => self.errors.push(CompileError::node(
                            &id,
                            format!("Unknown processor component '{}'", service.id),
                        )),
                    }
                    pending = Some(at);
                }
                Node::CustomNode {
                    output_var,
                    node_type,
                    parameters,
                    ..
                } => {
                    let factory = self.opts.registry.custom.get(node_type).cloned();
                    let out_slot = output_var
                        .as_deref()
                        .filter(|v| !v.is_empty())
                        .map(|v| self.var_slot(frame, v));
                    let Some(factory) = factory else {
                        let hint = if self.opts.registry.joins.contains_key(node_type) {
                            " (it is a join: it must head an additional branch)"
                        } else {
                            ""
                        };
                        self.errors.push(CompileError::node(
                            &id,
                            format!("Unknown custom node component '{node_type}'{hint}"),
                        ));
                        if let (Some(v), Some(s)) = (output_var.as_deref(), out_slot) {
                            scope.declare(v, s, Type::Unknown);
                        }
                        pending = Some(at);
                        continue;
                    };
                    let mut pc =
                        NodeParams::new(self, &id, parameters.iter().collect(), scope.clone());
                    if let Some((t, ty)) = factory.create(&mut pc, out_slot) {
                        if t.barrier() {
                            // `collect` clears every other variable.
                            scope = VarScope::default();
                        }
                        if let (Some(v), Some(s), Some(ty)) = (output_var.as_deref(), out_slot, ty)
                        {
                            scope.declare(v, s, ty);
                        }
                        self.set(
                            at,
                            Step::Custom {
                                transformer: t,
                                next: None,
                            },
                        );
                    }
                    pending = Some(at);
                }
                Node::BranchEndData { definition } => {
                    // Internal id, as the reference names it: the Designer gives the branch end
                    // the id of the node before it.
                    if let Some(n) = self.nodes.get_mut(at) {
                        n.id = Arc::from(format!("$edge-{}-{}", definition.id, definition.join_id));
                    }
                    self.joins
                        .entry(definition.join_id.clone())
                        .or_insert_with(|| JoinState {
                            incoming: Vec::new(),
                        })
                        .incoming
                        .push((definition.id.clone(), at, scope.clone()));
                    if !last {
                        self.errors.push(CompileError::node(
                            &id,
                            "A branch end must be the last node of its branch",
                        ));
                    }
                    return first;
                }
                Node::Sink { component, .. } => {
                    let factory = self.opts.registry.sinks.get(&component.typ).cloned();
                    match factory {
                        Some(factory) => {
                            let mut pc = NodeParams::new(
                                self,
                                &id,
                                component.parameters.iter().collect(),
                                scope.clone(),
                            );
                            if let Some(sink) = factory.create(&mut pc) {
                                self.set(at, Step::Sink { sink });
                            }
                        }
                        None => self.errors.push(CompileError::node(
                            &id,
                            format!("Unknown sink component '{}'", component.typ),
                        )),
                    }
                    if !last {
                        self.errors.push(CompileError::node(
                            &id,
                            "A sink must be the last node of its branch",
                        ));
                    }
                    return first;
                }
                Node::FragmentInput {
                    fragment, outputs, ..
                } => {
                    self.fragment(at, &id, fragment, outputs, &scope, frame, input_slot);
                    if !last {
                        self.errors.push(CompileError::node(&id, "A fragment must be the last node of its branch; its outputs continue it"));
                    }
                    return first;
                }
                Node::FragmentOutputDefinition {
                    output_name,
                    fields,
                    ..
                } => {
                    let Some(f) = frame else {
                        self.errors.push(CompileError::node(
                            &id,
                            "A fragment output outside a fragment",
                        ));
                        return first;
                    };
                    let var_name = f
                        .output_names
                        .get(output_name)
                        .cloned()
                        .unwrap_or_else(|| output_name.clone());
                    let mut parent_scope = f.parent_scope.clone();
                    let mut output = None;
                    if !fields.is_empty() {
                        let slot = self.var_slot(f.parent_frame, &var_name);
                        let (ty, compiled) = self.record_fields(&id, fields, &scope);
                        parent_scope.declare(&var_name, slot, ty);
                        output = Some((slot, compiled));
                    }
                    let next = match f.outputs.get(output_name) {
                        Some(rest) => self.chain(rest, parent_scope, f.parent_frame, input_slot),
                        None => None,
                    };
                    self.set(at, Step::FragmentEnd { output, next });
                    return first;
                }
                Node::FragmentUsageOutput { output_var, .. } => {
                    let mut output = None;
                    if let Some(ov) = output_var {
                        let slot = self.var_slot(frame, &ov.name);
                        let (ty, compiled) = self.record_fields(&id, &ov.fields, &scope);
                        scope.declare(&ov.name, slot, ty);
                        output = Some((slot, compiled));
                    }
                    self.set(at, Step::FragmentEnd { output, next: None });
                    pending = Some(at);
                }
                Node::FragmentInputDefinition { .. } => {
                    self.errors.push(CompileError::node(
                        &id,
                        "A fragment definition node inside a scenario",
                    ));
                    return first;
                }
                Node::Join { .. } => {
                    self.errors.push(CompileError::node(
                        &id,
                        "A join must head an additional branch",
                    ));
                    return first;
                }
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

    #[allow(clippy::too_many_arguments)]
    fn fragment(
        &mut self,
        at: usize,
        id: &str,
        fragment: &crate::model::FragmentRef,
        outputs: &indexmap::IndexMap<String, Vec<Node>>,
        scope: &VarScope,
        frame: Option<&Frame<'_>>,
        input_slot: usize,
    ) {
        // A fragment that uses itself, directly or through others, would be inlined forever.
        let mut chain = vec![fragment.id.clone()];
        let mut f = frame;
        while let Some(fr) = f {
            chain.push(fr.fragment.clone());
            if fr.fragment == fragment.id {
                chain.reverse();
                self.errors.push(CompileError::node(
                    id,
                    format!("Fragment cycle: {}", chain.join(" -> ")),
                ));
                return;
            }
            f = fr.parent_frame;
        }
        if chain.len() > self.opts.limits.max_fragment_depth {
            self.errors.push(CompileError::node(
                id,
                format!(
                    "Fragments are nested more than {} deep",
                    self.opts.limits.max_fragment_depth
                ),
            ));
            return;
        }
        let def = match self.opts.fragments.fragment(&fragment.id) {
            Ok(d) => d,
            Err(e) => {
                self.errors.push(CompileError::node(id, e));
                return;
            }
        };
        let Some(Node::FragmentInputDefinition { parameters, .. }) = def.nodes.first() else {
            self.errors.push(CompileError::node(
                id,
                format!(
                    "Fragment '{}' does not start with a FragmentInputDefinition",
                    fragment.id
                ),
            ));
            return;
        };
        let prefix = format!("{id}-");
        let inner = Frame {
            fragment: fragment.id.clone(),
            prefix: prefix.clone(),
            parent_scope: scope.clone(),
            outputs,
            output_names: &fragment.output_variable_names,
            parent_frame: frame,
        };
        let mut inner_scope = VarScope::default();
        let mut assigns = Vec::new();
        for p in parameters {
            let ty = p
                .typ
                .as_ref()
                .and_then(|t| {
                    Class::by_name(&t.ref_clazz_name).or_else(|| {
                        Class::by_name(t.ref_clazz_name.rsplit('.').next().unwrap_or(""))
                    })
                })
                .map(Type::class)
                .unwrap_or(Type::Unknown);
            let slot = self.slot(&format!("{prefix}{}", p.name));
            match fragment.parameters.iter().find(|x| x.name == p.name) {
                Some(given) => {
                    if let Some(c) =
                        self.expression(id, &p.name, &given.expression, scope, Some(&ty))
                    {
                        assigns.push((slot, c));
                    }
                }
                None => self.errors.push(CompileError::param(
                    id,
                    &p.name,
                    format!("Missing fragment parameter '{}'", p.name),
                )),
            }
            inner_scope.declare(&p.name, slot, ty);
        }
        for (name, _) in outputs {
            let declared = def_outputs(&def.nodes);
            if !declared.contains(name) {
                self.errors.push(CompileError::node(
                    id,
                    format!("Fragment '{}' has no output '{name}'", fragment.id),
                ));
            }
        }
        let body = &def.nodes[1..];
        let next = self.chain(body, inner_scope, Some(&inner), input_slot);
        self.set(at, Step::FragmentStart { assigns, next });
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
    fn record_fields(
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
    fn expression(
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

fn def_outputs(nodes: &[Node]) -> Vec<String> {
    let mut all = Vec::new();
    collect_nodes(nodes, &mut all);
    all.iter()
        .filter_map(|n| match n {
            Node::FragmentOutputDefinition { output_name, .. } => Some(output_name.clone()),
            _ => None,
        })
        .collect()
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
struct NodeParams<'b, 'a> {
    b: &'b mut Builder<'a>,
    node: String,
    params: Vec<Parameter>,
    scope: VarScope,
}

impl<'b, 'a> NodeParams<'b, 'a> {
    fn new(b: &'b mut Builder<'a>, node: &str, params: Vec<&Parameter>, scope: VarScope) -> Self {
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
