//! Prometheus series (`decisions.md` §7): invocations and their latency per scenario and
//! outcome, and per-node counts read from the compiled scenarios' counters at scrape time.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use prometheus::core::{Collector, Desc};
use prometheus::proto::MetricFamily;
use prometheus::{HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry};

use crate::state::Scenarios;

pub struct Metrics {
    pub registry: Registry,
    pub invocations: IntCounterVec,
    pub latency: HistogramVec,
}

/// Outcomes of an invocation, as label values.
pub const SUCCESS: &str = "success";
pub const FAILURE: &str = "failure";
pub const REJECTED: &str = "rejected";

impl Metrics {
    pub fn new(scenarios: Arc<Scenarios>) -> Metrics {
        let registry = Registry::new();
        let invocations = IntCounterVec::new(
            Opts::new(
                "scenic_invocations_total",
                "Scenario invocations by outcome (success, failure, rejected input)",
            ),
            &["scenario", "outcome"],
        )
        .unwrap_or_else(|_| unreachable_metric());
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "scenic_invocation_duration_seconds",
                "Scenario invocation latency by outcome",
            )
            .buckets(vec![
                0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
            ]),
            &["scenario", "outcome"],
        )
        .unwrap_or_else(|_| unreachable_histogram());
        // Registration fails only for duplicate names, which these constants are not.
        let _ = registry.register(Box::new(invocations.clone()));
        let _ = registry.register(Box::new(latency.clone()));
        let _ = registry.register(Box::new(NodeCollector::new(scenarios)));
        Metrics {
            registry,
            invocations,
            latency,
        }
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let families = self.registry.gather();
        let mut out = String::new();
        let encoder = prometheus::TextEncoder::new();
        let _ = encoder.encode_utf8(&families, &mut out);
        out
    }
}

fn unreachable_metric() -> IntCounterVec {
    // The options above are valid; this keeps the constructor free of panics.
    IntCounterVec::new(
        Opts::new("scenic_invalid", "invalid"),
        &["scenario", "outcome"],
    )
    .unwrap_or_else(|_| std::process::abort())
}

fn unreachable_histogram() -> HistogramVec {
    HistogramVec::new(
        HistogramOpts::new("scenic_invalid_seconds", "invalid"),
        &["scenario", "outcome"],
    )
    .unwrap_or_else(|_| std::process::abort())
}

/// Reads the node counters of every deployed scenario.
struct NodeCollector {
    scenarios: Arc<Scenarios>,
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
    fn new(scenarios: Arc<Scenarios>) -> NodeCollector {
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
        for d in self.scenarios.all() {
            let scenario = &d.scenario;
            for node in &scenario.graph.nodes {
                let c = &node.counters;
                let values = [
                    c.entered.load(Ordering::Relaxed),
                    c.ended.load(Ordering::Relaxed),
                    c.dead_ended.load(Ordering::Relaxed),
                    c.errors.load(Ordering::Relaxed),
                ];
                for (family, v) in families.iter_mut().zip(values) {
                    let mut m = prometheus::proto::Metric::default();
                    let mut l1 = prometheus::proto::LabelPair::default();
                    l1.set_name("scenario".into());
                    l1.set_value(scenario.name.clone());
                    let mut l2 = prometheus::proto::LabelPair::default();
                    l2.set_name("node".into());
                    l2.set_value(node.id.to_string());
                    m.set_label(vec![l1, l2]);
                    let mut counter = prometheus::proto::Counter::default();
                    counter.set_value(v as f64);
                    m.set_counter(counter);
                    family.mut_metric().push(m);
                }
            }
        }
        families.retain(|f| !f.get_metric().is_empty());
        families
    }
}
