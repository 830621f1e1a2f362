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

/// Whether the window histograms record: off until a reporter that reads them starts
/// ([`enable_windows`]), so that the invocation path pays one relaxed load without one.
static WINDOWS_ON: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Turns the window histograms on (the InfluxDB reporter does, at its start).
pub fn enable_windows() {
    WINDOWS_ON.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Whether the window histograms record (callers can skip preparing what they would record).
pub fn windows_enabled() -> bool {
    WINDOWS_ON.load(std::sync::atomic::Ordering::Relaxed)
}

/// How long a sample stays in a window histogram: the reference's timers keep 20 s.
pub const WINDOW: std::time::Duration = std::time::Duration::from_secs(20);
/// Samples a window keeps at most: past it the oldest go first, so under a heavy load the
/// window covers less than 20 s (the percentiles stay those of the latest calls).
const WINDOW_SAMPLES: usize = 4096;

/// A latency histogram over a sliding time window, as the reference's Dropwizard timers keep
/// one (`SlidingTimeWindowArrayReservoir`): its total count, and the samples of the last
/// [`WINDOW`] for the percentiles. Values are nanoseconds, as the reference reports them.
#[derive(Debug, Default)]
pub struct WindowHistogram {
    count: std::sync::atomic::AtomicU64,
    samples: std::sync::Mutex<std::collections::VecDeque<(std::time::Instant, u64)>>,
}

/// A window's figures: Dropwizard's histogram fields.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct WindowSnapshot {
    /// Every sample ever recorded (Dropwizard's `count`).
    pub count: u64,
    pub min: f64,
    pub max: f64,
    pub mean: f64,
    pub stddev: f64,
    pub sum: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
    pub p98: f64,
    pub p99: f64,
    pub p999: f64,
}

impl WindowSnapshot {
    /// The same figures in another unit (`1e-6` for milliseconds from nanoseconds); the count
    /// stays a count.
    pub fn scaled(self, factor: f64) -> WindowSnapshot {
        let f = |v: f64| v * factor;
        WindowSnapshot {
            count: self.count,
            min: f(self.min),
            max: f(self.max),
            mean: f(self.mean),
            stddev: f(self.stddev),
            sum: f(self.sum),
            p50: f(self.p50),
            p75: f(self.p75),
            p95: f(self.p95),
            p98: f(self.p98),
            p99: f(self.p99),
            p999: f(self.p999),
        }
    }
}

impl WindowHistogram {
    /// Records one duration (a no-op until [`enable_windows`]).
    pub fn record(&self, elapsed: std::time::Duration) {
        if !WINDOWS_ON.load(std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        self.count
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let ns = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        // A poisoned lock only means a panic elsewhere mid-push: the samples are still usable.
        let mut s = self.samples.lock().unwrap_or_else(|p| p.into_inner());
        if s.len() == WINDOW_SAMPLES {
            s.pop_front();
        }
        s.push_back((std::time::Instant::now(), ns));
    }

    /// The figures of the samples of the last [`WINDOW`] (zeros when there are none, as
    /// Dropwizard's empty snapshot).
    pub fn snapshot(&self) -> WindowSnapshot {
        let count = self.count.load(std::sync::atomic::Ordering::Relaxed);
        let mut values: Vec<u64> = {
            let mut s = self.samples.lock().unwrap_or_else(|p| p.into_inner());
            while s.front().is_some_and(|(at, _)| at.elapsed() > WINDOW) {
                s.pop_front();
            }
            s.iter().map(|(_, v)| *v).collect()
        };
        if values.is_empty() {
            return WindowSnapshot {
                count,
                ..WindowSnapshot::default()
            };
        }
        values.sort_unstable();
        let n = values.len() as f64;
        let sum: f64 = values.iter().map(|v| *v as f64).sum();
        let mean = sum / n;
        let var = values
            .iter()
            .map(|v| (*v as f64 - mean).powi(2))
            .sum::<f64>()
            / (n - 1.0).max(1.0);
        // Dropwizard's quantile: the value at rank ceil(q * n) (1-based), clamped.
        let q = |p: f64| {
            let rank = (p * n).ceil().max(1.0) as usize;
            values[rank.min(values.len()) - 1] as f64
        };
        WindowSnapshot {
            count,
            min: values[0] as f64,
            max: values[values.len() - 1] as f64,
            mean,
            stddev: var.sqrt(),
            sum,
            p50: q(0.5),
            p75: q(0.75),
            p95: q(0.95),
            p98: q(0.98),
            p99: q(0.99),
            p999: q(0.999),
        }
    }
}

#[cfg(test)]
mod window_tests {
    use super::*;

    #[test]
    fn a_window_gives_dropwizards_fields() {
        enable_windows();
        let h = WindowHistogram::default();
        assert_eq!(h.snapshot(), WindowSnapshot::default());
        for ms in 1..=100u64 {
            h.record(std::time::Duration::from_millis(ms));
        }
        let s = h.snapshot();
        assert_eq!(s.count, 100);
        assert_eq!(s.min, 1e6);
        assert_eq!(s.max, 100e6);
        assert_eq!(s.p50, 50e6);
        assert_eq!(s.p99, 99e6);
        assert_eq!(s.p999, 100e6);
        assert!((s.mean - 50.5e6).abs() < 1.0);
        for _ in 0..WINDOW_SAMPLES {
            h.record(std::time::Duration::from_millis(7));
        }
        let s = h.snapshot();
        assert_eq!(
            s.count,
            100 + WINDOW_SAMPLES as u64,
            "the count is every sample"
        );
        assert_eq!(s.max, 7e6, "the window keeps the latest samples");
    }
}
