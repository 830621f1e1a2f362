//! Finding and loading scenario files for the commands that take `DIR|FILES…`.

use std::path::{Path, PathBuf};

use clap::Args;

use scenic_scenario::compile::fragments_dir;
use scenic_scenario::{
    load_scenario_with, CompileError, CompiledScenario, Registry, ScenarioLimits,
};

use crate::scenario_file::{self, MAX_SCENARIO_BYTES};

/// `--config FILE`: the configuration file, whose `components` section adds enrichers.
#[derive(Args, Debug, Clone, Default)]
pub struct ConfigArgs {
    /// Configuration file (JSON): its `components` section configures enrichers (SQL,
    /// OpenAPI), as the reference's model configuration does (docs/enrichers.md).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The file's JSON, read once for its sections (`components`, `metrics`).
    #[arg(skip)]
    root: std::sync::OnceLock<Result<serde_json::Value, String>>,
}

impl ConfigArgs {
    /// The file and its JSON, when one is given.
    fn root(&self) -> Result<Option<(&Path, &serde_json::Value)>, String> {
        let Some(path) = &self.config else {
            return Ok(None);
        };
        let root = self.root.get_or_init(|| {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", path.display()))
        });
        match root {
            Ok(root) => Ok(Some((path.as_path(), root))),
            Err(e) => Err(e.clone()),
        }
    }

    /// The built-in components plus the configured ones.
    pub fn registry(&self) -> Result<Registry, String> {
        let Some((path, root)) = self.root()? else {
            return Ok(Registry::builtin());
        };
        let dir = path.parent().unwrap_or(Path::new("."));
        let (registry, warnings) =
            scenic_enrichers::registry_from_root(root, dir, Registry::builtin())
                .map_err(|e| format!("{}: {e}", path.display()))?;
        for w in warnings {
            eprintln!("warning: {}: {w}", path.display());
        }
        Ok(registry)
    }

    /// Whether `path` is the configuration file (which may live among the scenarios).
    pub fn is_config(&self, path: &Path) -> bool {
        let canonical = |p: &Path| p.canonicalize().ok();
        self.config
            .as_deref()
            .is_some_and(|c| canonical(c).is_some() && canonical(c) == canonical(path))
    }

    /// `request-response.definitionMetadata.servers` (the reference's): the OpenAPI
    /// documents' servers, each `{"url": …, "description": …}` with an absolute or relative
    /// URL; none: the relative `./`.
    pub fn servers(&self) -> Result<Vec<serde_json::Value>, String> {
        let Some((path, root)) = self.root()? else {
            return Ok(Vec::new());
        };
        let at = "request-response.definitionMetadata.servers";
        let servers = &root["request-response"]["definitionMetadata"]["servers"];
        if servers.is_null() {
            return Ok(Vec::new());
        }
        let list = servers
            .as_array()
            .ok_or_else(|| format!("{}: {at}: a list of {{\"url\": …}}", path.display()))?;
        list.iter()
            .enumerate()
            .map(|(i, s)| {
                let url = s["url"].as_str().filter(|u| !u.is_empty()).ok_or_else(|| {
                    format!("{}: {at}[{i}].url: a URL string is needed", path.display())
                })?;
                let mut out = serde_json::json!({ "url": url });
                if let Some(d) = s["description"].as_str() {
                    out["description"] = d.into();
                }
                Ok(out)
            })
            .collect()
    }

    /// The `metrics` section (the InfluxDB reporter), if the file has one.
    pub fn metrics(&self) -> Result<Option<scenic_influx::MetricsConfig>, String> {
        let Some((path, root)) = self.root()? else {
            return Ok(None);
        };
        scenic_influx::MetricsConfig::from_root(root, &|k| std::env::var(k).ok())
            .map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Starts the InfluxDB reporter on `scenarios` when the file configures one; the error
    /// printed and exit code 2 when its section is wrong.
    pub fn reporter(
        &self,
        scenarios: &std::sync::Arc<scenic_rr::Scenarios>,
        metrics: &std::sync::Arc<scenic_rr::metrics::Metrics>,
    ) -> Result<Option<scenic_influx::Reporter>, std::process::ExitCode> {
        let windows = metrics.clone();
        let Some(config) = self.metrics().map_err(config_error)? else {
            return Ok(None);
        };
        let table = scenarios.clone();
        let mut source = scenic_influx::Source::new(std::sync::Arc::new(move || {
            table.all().iter().map(|d| d.scenario.clone()).collect()
        }));
        source.timers = std::sync::Arc::new(move || {
            let mut timers = Vec::new();
            for (scenario, w) in windows.windows() {
                timers.push(scenic_influx::Timer {
                    name: "invocation.success",
                    tags: vec![("scenario".into(), scenario.clone())],
                    snapshot: w.success.snapshot(),
                });
                for (node, h) in w.failures() {
                    timers.push(scenic_influx::Timer {
                        name: "invocation.failure",
                        tags: vec![
                            ("scenario".into(), scenario.clone()),
                            ("nodeId".into(), node),
                        ],
                        snapshot: h.snapshot(),
                    });
                }
            }
            timers.extend(scenic_influx::service_timers());
            timers
        });
        scenic_influx::Reporter::start(config, source).map_err(config_error)
    }

    /// [`servers`](Self::servers), or the error printed and exit code 2.
    pub fn servers_or_exit(&self) -> Result<Vec<serde_json::Value>, std::process::ExitCode> {
        self.servers().map_err(config_error)
    }

    /// [`registry`](Self::registry), or the error printed and exit code 2.
    pub fn registry_or_exit(&self) -> Result<Registry, std::process::ExitCode> {
        self.registry().map_err(config_error)
    }
}

/// A configuration problem: printed, and exit code 2.
fn config_error(e: String) -> std::process::ExitCode {
    eprintln!("error: {e}");
    std::process::ExitCode::from(2)
}

/// Expands folders to the `*.json` files directly inside them (sorted, hidden files left out);
/// files stay as given. A folder's `fragments/` subfolder holds fragments, not scenarios. An
/// entry that is not a regular file (a FIFO named `x.json`) is skipped with a warning.
pub fn scenario_paths(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in inputs {
        if p.is_dir() {
            let mut files = Vec::new();
            let entries =
                std::fs::read_dir(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            for f in entries.filter_map(|e| e.ok().map(|e| e.path())) {
                if !scenario_file::is_scenario_name(&f) {
                    continue;
                }
                if f.is_file() {
                    files.push(f);
                } else if !f.is_dir() {
                    eprintln!("warning: {}: skipped: not a regular file", f.display());
                }
            }
            files.sort();
            out.extend(files);
        } else if p.is_file() {
            out.push(p.clone());
        } else if p.exists() {
            return Err(format!("{} is not a regular file", p.display()));
        } else {
            return Err(format!("{} does not exist", p.display()));
        }
    }
    Ok(out)
}

/// The fragments folder: given explicitly, else `fragments/` next to the first input.
pub fn fragments_for(explicit: Option<&PathBuf>, inputs: &[PathBuf]) -> Option<PathBuf> {
    if let Some(d) = explicit {
        return Some(d.clone());
    }
    let first = inputs.first()?;
    let base = if first.is_dir() {
        first.clone()
    } else {
        first.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let d = base.join("fragments");
    d.is_dir().then_some(d)
}

/// Loads and compiles one file.
pub fn load(
    path: &Path,
    registry: &Registry,
    fragments: Option<&PathBuf>,
    limits: &ScenarioLimits,
) -> Result<CompiledScenario, Vec<CompileError>> {
    let text = scenario_file::read(path, MAX_SCENARIO_BYTES).map_err(|e| {
        vec![CompileError::scenario(format!(
            "cannot read {}: {e}",
            path.display()
        ))]
    })?;
    let frags = fragments_dir(fragments.cloned());
    load_scenario_with(&text, registry, frags.as_ref(), limits).map_err(|e| e.errors())
}

/// Whether the file holds a streaming scenario (see [`scenario_file::is_streaming`]).
pub fn is_streaming(path: &Path) -> bool {
    scenario_file::read(path, MAX_SCENARIO_BYTES)
        .is_ok_and(|text| scenario_file::is_streaming(&text))
}

/// Prints every error of a file, one per line.
pub fn print_errors(path: &Path, errors: &[CompileError]) {
    eprintln!("{}: {} error(s)", path.display(), errors.len());
    for e in errors {
        eprintln!("  {e}");
    }
}
