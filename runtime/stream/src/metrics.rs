//! Prometheus series of the streaming worker (`decisions.md` §7): records read, rejected and
//! written, transactions by outcome, batch and commit latency, consumer lag, restarts, plus each
//! node's counters (ends, dead ends, errors by node) read from the compiled scenario, the delay
//! since each record's event time, and per task (worker) its attempts and largest lag.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use prometheus::{
    Gauge, Histogram, HistogramOpts, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts,
    Registry,
};
use scenic_scenario::metrics::{NodeCollector, WindowHistogram};
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
    /// Restarts after a failure, by task (`task-0`, `task-1`, … one per worker).
    pub restarts: Vec<IntCounter>,
    pub running: IntGauge,
    /// Now − the record's timestamp, as each record is read (seconds).
    pub event_delay: Histogram,
    /// The same delays over the reference's sliding window, for `eventtimedelay.histogram`
    /// (recorded only while a reporter reads it).
    pub event_window: WindowHistogram,
    /// The newest record timestamp read (ms since the epoch; 0 before the first), for the
    /// reference's `eventtimedelay.minimalDelay`.
    latest_event_ms: AtomicI64,
    minimal_delay: Gauge,
    /// Per task: the largest lag among its partitions at the last reading (`records-lag-max`).
    pub task_lag: Vec<AtomicI64>,
}

/// The reference's task id of worker `idx` (`task-0`, …), as its metrics tag them.
pub fn task_id(idx: usize) -> String {
    format!("task-{idx}")
}

/// Builds a metric whose options are constants; an invalid one is a programming error caught by
/// the unit test below, and aborts rather than panics on a path input cannot reach.
fn ok<T>(r: prometheus::Result<T>) -> T {
    r.unwrap_or_else(|_| std::process::abort())
}

impl StreamMetrics {
    /// The metrics of `scenario` run by `workers` workers (tasks).
    pub fn new(scenario: Arc<CompiledScenario>, workers: usize) -> StreamMetrics {
        let workers = workers.max(1);
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
        let restarts = ok(IntCounterVec::new(
            Opts::new(
                "scenic_stream_worker_restarts_total",
                "Worker restarts after a failure, by task",
            )
            .const_label("scenario", name.clone()),
            &["task"],
        ));
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
            restarts: (0..workers)
                .map(|w| restarts.with_label_values(&[&task_id(w)]))
                .collect(),
            event_delay: ok(Histogram::with_opts(
                HistogramOpts::new(
                    "scenic_stream_event_time_delay_seconds",
                    "Time from a record's timestamp to its reading",
                )
                .const_label("scenario", name.clone())
                .buckets(vec![
                    0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0,
                ]),
            )),
            event_window: WindowHistogram::default(),
            latest_event_ms: AtomicI64::new(0),
            minimal_delay: ok(Gauge::with_opts(
                Opts::new(
                    "scenic_stream_event_time_minimal_delay_seconds",
                    "Time since the newest record timestamp read (absent before the first record)",
                )
                .const_label("scenario", name.clone()),
            )),
            task_lag: (0..workers).map(|_| AtomicI64::new(0)).collect(),
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
        let _ = r.register(Box::new(restarts));
        let _ = r.register(Box::new(m.event_delay.clone()));
        let _ = r.register(Box::new(m.running.clone()));
        let _ = r.register(Box::new(NodeCollector::new(Arc::new(move || {
            vec![scenario.clone()]
        }))));
        m
    }

    /// Records a record's event time (`timestamp_ms` since the epoch) as it is read at `now_ms`.
    pub fn event_read(&self, timestamp_ms: i64, now_ms: i64) {
        if timestamp_ms <= 0 {
            return;
        }
        let delay_ms = now_ms.saturating_sub(timestamp_ms).max(0) as u64;
        self.event_delay.observe(delay_ms as f64 / 1000.0);
        self.event_window
            .record(std::time::Duration::from_millis(delay_ms));
        self.latest_event_ms
            .fetch_max(timestamp_ms, Ordering::Relaxed);
    }

    /// Milliseconds from the newest record timestamp read to `now_ms`; None before the first.
    pub fn minimal_delay_ms(&self, now_ms: i64) -> Option<i64> {
        match self.latest_event_ms.load(Ordering::Relaxed) {
            0 => None,
            t => Some(now_ms.saturating_sub(t).max(0)),
        }
    }

    /// Total restarts of every task.
    pub fn restarts_total(&self) -> u64 {
        self.restarts.iter().map(IntCounter::get).sum()
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut families = self.registry.gather();
        // The minimal delay grows while no record arrives: it is read at the scrape, and only
        // once a record has been read (a gauge of 0 would claim fresh data).
        if let Some(ms) = self.minimal_delay_ms(crate::worker::now_millis()) {
            self.minimal_delay.set(ms as f64 / 1000.0);
            families.extend(prometheus::core::Collector::collect(&self.minimal_delay));
            families.sort_by(|a, b| a.name().cmp(b.name()));
        }
        let mut out = String::new();
        let _ = prometheus::TextEncoder::new().encode_utf8(&families, &mut out);
        out
    }
}
