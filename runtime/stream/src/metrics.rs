//! Prometheus series of the streaming worker (`decisions.md` §7): records read, rejected and
//! written, transactions by outcome, batch and commit latency, consumer lag, restarts, plus each
//! node's counters (ends, dead ends, errors by node) read from the compiled scenario.

use std::sync::Arc;

use prometheus::{
    Histogram, HistogramOpts, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
};
use scenic_scenario::metrics::NodeCollector;
use scenic_scenario::CompiledScenario;

pub struct StreamMetrics {
    pub registry: Registry,
    pub records: IntCounter,
    pub committed_records: IntCounter,
    pub rejected: IntCounter,
    pub outputs: IntCounter,
    pub error_records: IntCounter,
    pub committed: IntCounter,
    pub aborted: IntCounter,
    pub batch_seconds: Histogram,
    pub commit_seconds: Histogram,
    pub lag: IntGaugeVec,
    pub restarts: IntCounter,
    pub running: IntGauge,
}

/// Builds a metric whose options are constants; an invalid one is a programming error caught by
/// the unit test below, and aborts rather than panics on a path input cannot reach.
fn ok<T>(r: prometheus::Result<T>) -> T {
    r.unwrap_or_else(|_| std::process::abort())
}

impl StreamMetrics {
    pub fn new(scenario: Arc<CompiledScenario>) -> StreamMetrics {
        let registry = Registry::new();
        scenic_enrichers::metrics::ServiceMetrics::get().register(&registry);
        let name = scenario.name().to_string();
        let counter = |n: &str, help: &str| {
            ok(IntCounter::with_opts(
                Opts::new(n, help).const_label("scenario", name.clone()),
            ))
        };
        let buckets = vec![
            0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
        ];
        let histogram = |n: &str, help: &str| {
            ok(Histogram::with_opts(
                HistogramOpts::new(n, help)
                    .const_label("scenario", name.clone())
                    .buckets(buckets.clone()),
            ))
        };
        let transactions = ok(IntCounterVec::new(
            Opts::new(
                "scenic_stream_batches_total",
                "Poll batches by outcome: committed (offsets with outputs) or aborted",
            )
            .const_label("scenario", name.clone()),
            &["outcome"],
        ));
        let m = StreamMetrics {
            records: counter(
                "scenic_stream_records_total",
                "Records read from the source topics",
            ),
            committed_records: counter(
                "scenic_stream_committed_records_total",
                "Records whose batch committed (their effects are visible downstream)",
            ),
            rejected: counter(
                "scenic_stream_rejected_total",
                "Records that could not be decoded (malformed JSON, schema violations)",
            ),
            outputs: counter(
                "scenic_stream_outputs_total",
                "Records written by kafka sinks",
            ),
            error_records: counter(
                "scenic_stream_error_records_total",
                "Records written to the error topic",
            ),
            committed: transactions.with_label_values(&["committed"]),
            aborted: transactions.with_label_values(&["aborted"]),
            batch_seconds: histogram(
                "scenic_stream_batch_duration_seconds",
                "Time from the first record of a batch to its commit",
            ),
            commit_seconds: histogram(
                "scenic_stream_commit_duration_seconds",
                "Time to send the offsets and commit the transaction (or flush and commit offsets)",
            ),
            lag: ok(IntGaugeVec::new(
                Opts::new(
                    "scenic_stream_consumer_lag",
                    "Records behind the partition's high watermark",
                )
                .const_label("scenario", name.clone()),
                &["topic", "partition"],
            )),
            restarts: counter(
                "scenic_stream_worker_restarts_total",
                "Worker restarts after a failure",
            ),
            running: ok(IntGauge::with_opts(
                Opts::new(
                    "scenic_stream_workers_running",
                    "Workers processing records",
                )
                .const_label("scenario", name.clone()),
            )),
            registry,
        };
        // Registration fails only for duplicate names, which these constants are not.
        let r = &m.registry;
        let _ = r.register(Box::new(m.records.clone()));
        let _ = r.register(Box::new(m.committed_records.clone()));
        let _ = r.register(Box::new(m.rejected.clone()));
        let _ = r.register(Box::new(m.outputs.clone()));
        let _ = r.register(Box::new(m.error_records.clone()));
        let _ = r.register(Box::new(transactions));
        let _ = r.register(Box::new(m.batch_seconds.clone()));
        let _ = r.register(Box::new(m.commit_seconds.clone()));
        let _ = r.register(Box::new(m.lag.clone()));
        let _ = r.register(Box::new(m.restarts.clone()));
        let _ = r.register(Box::new(m.running.clone()));
        let _ = r.register(Box::new(NodeCollector::new(Arc::new(move || {
            vec![scenario.clone()]
        }))));
        m
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = prometheus::TextEncoder::new().encode_utf8(&self.registry.gather(), &mut out);
        out
    }
}
