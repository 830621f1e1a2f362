//! Service-call metrics (`enrichers.md` §5): every enricher call is timed, by scenario,
//! `serviceName` (the reference's: `dbQueryEnricher` for every SQL component, the operation's
//! name for OpenAPI ones) and outcome (`OK`, `FAIL`; an empty 404 answer is `OK`).
//!
//! Prometheus: `scenic_service_duration_seconds{scenario, service, outcome}`, a histogram (its
//! `_count` is the call count). InfluxDB: the same calls in sliding windows ([`timers`]), which
//! the reporter writes as the reference's `service.OK` / `service.FAIL` timers. One set per
//! process, shared by every component, so two components with the same service name share
//! their series, as the reference's tags do.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use prometheus::{HistogramOpts, HistogramVec};
use scenic_scenario::metrics::WindowHistogram;

/// A timer's key: scenario, service name, outcome (OK = true).
type TimerKey = (String, String, bool);

/// The service-call histograms.
pub struct ServiceMetrics {
    duration: HistogramVec,
    windows: Mutex<HashMap<TimerKey, Arc<WindowHistogram>>>,
}

static METRICS: OnceLock<ServiceMetrics> = OnceLock::new();

/// Buckets from 100 µs to 10 s: a cached lookup to a slow remote service.
const BUCKETS: &[f64] = &[
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
    5.0, 10.0,
];

fn outcome(ok: bool) -> &'static str {
    if ok {
        "OK"
    } else {
        "FAIL"
    }
}

/// One service timer's window, for the InfluxDB reporter.
pub struct ServiceTimer {
    pub scenario: String,
    pub service: String,
    pub ok: bool,
    pub window: Arc<WindowHistogram>,
}

impl ServiceMetrics {
    /// The process's service metrics.
    pub fn get() -> &'static ServiceMetrics {
        METRICS.get_or_init(|| {
            let opts = HistogramOpts::new(
                "scenic_service_duration_seconds",
                "Enricher (service) calls by scenario, service name and outcome (OK, FAIL), in seconds",
            )
            .buckets(BUCKETS.to_vec());
            // Constant options and labels: they are valid (the test below builds them).
            let duration = HistogramVec::new(opts, &["scenario", "service", "outcome"])
                .expect("constant histogram options are valid");
            ServiceMetrics {
                duration,
                windows: Mutex::new(HashMap::new()),
            }
        })
    }

    /// Adds the metrics to a registry (the server's `/metrics`); a second registration of the
    /// same registry is ignored.
    pub fn register(&self, registry: &prometheus::Registry) {
        let _ = registry.register(Box::new(self.duration.clone()));
    }

    /// Records one call of `service` by a node of `scenario`.
    pub fn observe(&self, scenario: &str, service: &str, ok: bool, elapsed: Duration) {
        self.duration
            .with_label_values(&[scenario, service, outcome(ok)])
            .observe(elapsed.as_secs_f64());
        let window = {
            let mut w = self.windows.lock().unwrap_or_else(|p| p.into_inner());
            w.entry((scenario.to_string(), service.to_string(), ok))
                .or_default()
                .clone()
        };
        window.record(elapsed);
    }

    /// Calls recorded so far for `service` in `scenario` with that outcome.
    pub fn count(&self, scenario: &str, service: &str, ok: bool) -> u64 {
        self.duration
            .with_label_values(&[scenario, service, outcome(ok)])
            .get_sample_count()
    }

    /// Removes the series and windows of a cancelled scenario (`decisions.md` §7). Every
    /// (service, outcome) it called has a window, so the windows name its series.
    pub fn remove_scenario(&self, scenario: &str) {
        let mut w = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        w.retain(|(s, service, ok), _| {
            if s != scenario {
                return true;
            }
            // Absent label values are not an error: the series may never have been observed.
            let _ = self
                .duration
                .remove_label_values(&[scenario, service, outcome(*ok)]);
            false
        });
    }

    /// Every timer's window, for the InfluxDB reporter.
    pub fn timers(&self) -> Vec<ServiceTimer> {
        let w = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        w.iter()
            .map(|((scenario, service, ok), window)| ServiceTimer {
                scenario: scenario.clone(),
                service: service.clone(),
                ok: *ok,
                window: window.clone(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_counted_by_scenario_service_and_outcome_and_exported() {
        let m = ServiceMetrics::get();
        m.observe("s", "metrics-test", true, Duration::from_millis(2));
        m.observe("s", "metrics-test", false, Duration::from_millis(3));
        m.observe("s", "metrics-test", true, Duration::from_millis(1));
        assert_eq!(m.count("s", "metrics-test", true), 2);
        assert_eq!(m.count("s", "metrics-test", false), 1);
        assert!(m
            .timers()
            .iter()
            .any(|t| t.service == "metrics-test" && t.scenario == "s" && t.ok));
        m.observe("gone", "metrics-test", true, Duration::from_millis(1));
        m.remove_scenario("gone");
        assert!(!m.timers().iter().any(|t| t.scenario == "gone"));
        let mut families = Vec::new();
        let r0 = prometheus::Registry::new();
        m.register(&r0);
        families.extend(r0.gather());
        assert!(!families.iter().any(|f| f
            .get_metric()
            .iter()
            .any(|x| x.get_label().iter().any(|l| l.value() == "gone"))));
        let r = prometheus::Registry::new();
        m.register(&r);
        m.register(&r);
        let mut text = String::new();
        prometheus::TextEncoder::new()
            .encode_utf8(&r.gather(), &mut text)
            .expect("encodes");
        assert!(
            text.contains(
                "scenic_service_duration_seconds_count{outcome=\"OK\",scenario=\"s\",service=\"metrics-test\"} 2"
            ),
            "{text}"
        );
    }
}
