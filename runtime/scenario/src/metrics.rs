//! Prometheus series shared by both runtimes: each node's counters (`decisions.md` §7),
//! read from the compiled scenarios at scrape time, so the hot path only bumps atomics
//! ([`ShardedCounter`], defined with the node counters in `graph`).

use std::sync::Arc;

use prometheus::core::{Collector, Desc};
use prometheus::proto::MetricFamily;

use crate::CompiledScenario;

pub use crate::graph::ShardedCounter;

/// The scenarios whose counters a scrape reads.
pub type ScenarioList = Arc<dyn Fn() -> Vec<Arc<CompiledScenario>> + Send + Sync>;

/// One node's counts, with its scenario's name and its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeSnapshot {
    pub scenario: Arc<str>,
    pub node: Arc<str>,
    pub counts: crate::graph::NodeCounts,
}

/// The counts of every node of `scenarios`, each scenario name once (the first listed): what
/// every exporter (Prometheus here, the InfluxDB reporter) reads.
pub fn node_snapshot(scenarios: &[Arc<CompiledScenario>]) -> Vec<NodeSnapshot> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for scenario in scenarios {
        if !seen.insert(scenario.name().to_string()) {
            continue;
        }
        let name: Arc<str> = Arc::from(scenario.name());
        for node in &scenario.graph().nodes {
            out.push(NodeSnapshot {
                scenario: name.clone(),
                node: node.id.clone(),
                counts: node.counters.counts(),
            });
        }
    }
    out
}

/// Reads the node counters of every deployed scenario at scrape time. Only the scenarios the
/// list returns are reported: once a cancelled scenario leaves the list, its series are gone.
pub struct NodeCollector {
    scenarios: ScenarioList,
    descs: Vec<Desc>,
}

const NODE_SERIES: [(&str, &str); 4] = [
    ("scenic_node_count_total", "Contexts that entered a node"),
    (
        "scenic_end_total",
        "Contexts that ended at a node (sink, ending processor)",
    ),
    (
        "scenic_dead_end_total",
        "Contexts dropped at a node (filter or choice with no way on)",
    ),
    ("scenic_errors_total", "Errors raised by a node"),
];

impl NodeCollector {
    pub fn new(scenarios: ScenarioList) -> NodeCollector {
        let descs = NODE_SERIES
            .iter()
            .filter_map(|(n, h)| {
                Desc::new(
                    n.to_string(),
                    h.to_string(),
                    vec!["scenario".into(), "node".into()],
                    Default::default(),
                )
                .ok()
            })
            .collect();
        NodeCollector { scenarios, descs }
    }
}

impl Collector for NodeCollector {
    fn desc(&self) -> Vec<&Desc> {
        self.descs.iter().collect()
    }

    fn collect(&self) -> Vec<MetricFamily> {
        let mut families: Vec<MetricFamily> = NODE_SERIES
            .iter()
            .map(|(n, h)| {
                let mut f = MetricFamily::default();
                f.set_name(n.to_string());
                f.set_help(h.to_string());
                f.set_field_type(prometheus::proto::MetricType::COUNTER);
                f
            })
            .collect();
        // Series are by scenario name: a name listed twice is reported once.
        for n in node_snapshot(&(self.scenarios)()) {
            let c = n.counts;
            let values = [c.entered, c.ended, c.dead_ended, c.errors];
            for (family, v) in families.iter_mut().zip(values) {
                let mut m = prometheus::proto::Metric::default();
                let mut l1 = prometheus::proto::LabelPair::default();
                l1.set_name("scenario".into());
                l1.set_value(n.scenario.to_string());
                let mut l2 = prometheus::proto::LabelPair::default();
                l2.set_name("node".into());
                l2.set_value(n.node.to_string());
                m.set_label(vec![l1, l2]);
                let mut counter = prometheus::proto::Counter::default();
                counter.set_value(v as f64);
                m.set_counter(counter);
                family.mut_metric().push(m);
            }
        }
        families.retain(|f| !f.get_metric().is_empty());
        families
    }
}
