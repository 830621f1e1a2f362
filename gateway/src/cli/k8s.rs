//! `scenic k8s …`: Scenic on Kubernetes. `manifests` prints each scenario version's objects as
//! YAML without a cluster (a dry run, and what GitOps repositories hold).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use scenic_k8s::{Options, ScenarioInfo};

use super::files;
use crate::scenario_file::{self, MAX_SCENARIO_BYTES};

#[derive(Args, Debug)]
pub struct K8sArgs {
    #[command(subcommand)]
    pub command: K8sCommand,
}

#[derive(Subcommand, Debug)]
pub enum K8sCommand {
    /// Print the Kubernetes objects of each scenario version (ConfigMap, Deployment, and a
    /// Service for request-response) as YAML, for `kubectl apply -f -`. A scenario that does
    /// not compile is refused, with every error, and nothing is printed.
    Manifests(ManifestArgs),
    /// Apply each scenario version's objects to the cluster (the usual kubeconfig, or in-cluster
    /// credentials). Older versions stay: move traffic with `traffic`, remove with `cancel`.
    Deploy(ManifestArgs),
    /// Each deployed version's state (RUNNING, DURING_DEPLOY, RESTARTING, FAILED) and why.
    Status(StatusArgs),
    /// Delete a scenario's versions (one with --version): Services, Deployments, ConfigMaps.
    Cancel(CancelArgs),
    /// Set the weights of a scenario's versions in the gateway's routes ConfigMap:
    /// `scenic k8s traffic loan eb43c914fc=90 0d5e2a7b11=10` (a version's first characters do).
    Traffic(TrafficArgs),
}

#[derive(Args, Debug)]
pub struct StatusArgs {
    /// The scenario's name (`metaData.id`); all of them when left out.
    pub name: Option<String>,
    #[arg(long, short = 'n')]
    pub namespace: Option<String>,
}

#[derive(Args, Debug)]
pub struct CancelArgs {
    /// The scenario's name (`metaData.id`).
    pub name: String,
    /// Only this version (its first characters do).
    #[arg(long)]
    pub version: Option<String>,
    #[arg(long, short = 'n')]
    pub namespace: Option<String>,
}

#[derive(Args, Debug)]
pub struct TrafficArgs {
    /// The scenario's slug (its route).
    pub slug: String,
    /// `VERSION=WEIGHT`, one per version to route to.
    #[arg(required = true)]
    pub weights: Vec<String>,
    #[arg(long, short = 'n')]
    pub namespace: Option<String>,
}

#[derive(Args, Debug)]
pub struct ManifestArgs {
    /// Scenario files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Namespace of the objects (default: none, so that `kubectl -n` decides).
    #[arg(long, short = 'n')]
    pub namespace: Option<String>,
    /// The runtime image (both binaries; `k8s/Dockerfile` builds it).
    #[arg(long, default_value_t = Options::default().image)]
    pub image: String,
    /// Replicas (default: 2 for request-response; for streaming, `parallelism` / 4 rounded up,
    /// with the workers per replica set to match).
    #[arg(long)]
    pub replicas: Option<i32>,
    /// Folder of fragment definitions.
    #[arg(long)]
    pub fragments: Option<PathBuf>,
    /// `deploy`: versions of the scenario kept besides those the routes give traffic to
    /// (the newest first); older ones are deleted after the deploy.
    #[arg(long, default_value_t = 3)]
    pub keep: usize,
    #[command(flatten)]
    pub config: files::ConfigArgs,
}

pub fn run(a: K8sArgs) -> ExitCode {
    match a.command {
        K8sCommand::Manifests(m) => match objects_of(&m) {
            Ok(all) => {
                for objects in &all {
                    print!("{}", scenic_k8s::to_yaml(objects));
                }
                ExitCode::SUCCESS
            }
            Err(code) => code,
        },
        K8sCommand::Deploy(m) => {
            let all = match objects_of(&m) {
                Ok(all) => all,
                Err(code) => return code,
            };
            let keep = m.keep.max(1);
            cluster(m.namespace.clone(), |manager| async move {
                for objects in &all {
                    for name in manager.deploy(objects).await? {
                        println!("{name} applied in {}", manager.namespace());
                    }
                    let scenario = objects.iter().find_map(|o| match o {
                        scenic_k8s::Object::Deployment(d) => d
                            .metadata
                            .labels
                            .as_ref()?
                            .get(scenic_k8s::manifests::LABEL_SCENARIO)
                            .cloned(),
                        _ => None,
                    });
                    if let Some(s) = scenario {
                        for v in manager.prune(&s, keep).await? {
                            println!("version {v} of {s} deleted (older than the {keep} kept, and no traffic)");
                        }
                    }
                }
                Ok(())
            })
        }
        K8sCommand::Status(s) => cluster(s.namespace.clone(), |manager| async move {
            let label = s.name.as_deref().map(scenic_k8s::names::scenario_label);
            let all = manager.status(label.as_deref()).await?;
            if all.is_empty() {
                println!("no scenario version is deployed in {}", manager.namespace());
            }
            for v in all {
                println!(
                    "{}  version {}  {}  {}",
                    v.deployment,
                    v.version,
                    v.status.state.name(),
                    v.status.reason
                );
            }
            Ok(())
        }),
        K8sCommand::Cancel(c) => cluster(c.namespace.clone(), |manager| async move {
            let label = scenic_k8s::names::scenario_label(&c.name);
            let version = match &c.version {
                // A prefix is resolved against what is deployed.
                Some(prefix) => {
                    let found: Vec<String> = manager
                        .status(Some(&label))
                        .await?
                        .into_iter()
                        .map(|v| v.version)
                        .filter(|v| v.starts_with(prefix.as_str()))
                        .collect();
                    match found.as_slice() {
                        [one] => Some(one.clone()),
                        [] => {
                            return Err(scenic_k8s::manager::ManagerError::Invalid(format!(
                                "no version {prefix} of '{}' is deployed",
                                c.name
                            )))
                        }
                        _ => {
                            return Err(scenic_k8s::manager::ManagerError::Invalid(format!(
                                "{prefix} names more than one version"
                            )))
                        }
                    }
                }
                None => None,
            };
            let n = manager.cancel(&label, version.as_deref()).await?;
            println!("{n} object(s) deleted");
            Ok(())
        }),
        K8sCommand::Traffic(t) => {
            let mut weights = Vec::new();
            for w in &t.weights {
                match w.split_once('=').map(|(v, n)| (v, n.parse::<u32>())) {
                    Some((v, Ok(n))) if !v.is_empty() => weights.push((v.to_string(), n)),
                    _ => {
                        eprintln!("error: '{w}': expected VERSION=WEIGHT, e.g. eb43c914fc=90");
                        return ExitCode::from(2);
                    }
                }
            }
            cluster(t.namespace.clone(), |manager| async move {
                let routes = manager.traffic(&t.slug, &weights).await?;
                println!(
                    "{}",
                    serde_json::to_string_pretty(&routes["routes"][&t.slug]).unwrap_or_default()
                );
                Ok(())
            })
        }
    }
}

/// Runs `work` against the cluster; its error printed (exit 1).
fn cluster<F, Fut>(namespace: Option<String>, work: F) -> ExitCode
where
    F: FnOnce(scenic_k8s::manager::Manager) -> Fut,
    Fut: std::future::Future<Output = Result<(), scenic_k8s::manager::ManagerError>>,
{
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = rt.block_on(async move {
        let manager = scenic_k8s::manager::Manager::connect(namespace).await?;
        work(manager).await
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// Most fragments one scenario may bring along.
const MAX_FRAGMENTS: usize = 256;

/// The ids of the fragments a scenario or fragment JSON uses directly (its `FragmentInput`
/// nodes' `ref.id`, nested branches included).
fn fragment_ids(text: &str) -> Vec<String> {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let mut ids = Vec::new();
    let mut stack = vec![&v];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::Object(o) => {
                if o.get("type").and_then(|t| t.as_str()) == Some("FragmentInput") {
                    if let Some(id) = o.get("ref").and_then(|r| r["id"].as_str()) {
                        ids.push(id.to_string());
                    }
                }
                stack.extend(o.values());
            }
            serde_json::Value::Array(a) => stack.extend(a.iter()),
            _ => {}
        }
    }
    ids
}

/// Every fragment the scenario uses, nested ones included, read from `dir` (`<id>.json`).
fn fragments_of(
    text: &str,
    dir: Option<&std::path::Path>,
) -> Result<std::collections::BTreeMap<String, String>, String> {
    let mut found = std::collections::BTreeMap::new();
    let mut todo = fragment_ids(text);
    while let Some(id) = todo.pop() {
        if found.contains_key(&id) {
            continue;
        }
        if found.len() == MAX_FRAGMENTS {
            return Err(format!("more than {MAX_FRAGMENTS} fragments"));
        }
        let Some(dir) = dir else {
            return Err(format!(
                "uses the fragment '{id}', and there is no fragments folder (--fragments)"
            ));
        };
        if id.contains(['/', '\\']) || id.starts_with('.') {
            return Err(format!("invalid fragment name '{id}'"));
        }
        let file = dir.join(format!("{id}.json"));
        let body = scenario_file::read(&file, MAX_SCENARIO_BYTES)
            .map_err(|e| format!("fragment '{id}': cannot read {}: {e}", file.display()))?;
        todo.extend(fragment_ids(&body));
        found.insert(id, body);
    }
    Ok(found)
}

/// The configuration for the pods: a streaming configuration's topic schemas (`schemas`,
/// files relative to the configuration) go into the ConfigMap as `schema.<topic>.json`, and
/// the configuration names them there.
fn package_schemas(
    path: &std::path::Path,
    text: String,
) -> Result<(Option<String>, std::collections::BTreeMap<String, String>), String> {
    let mut files = std::collections::BTreeMap::new();
    let Ok(mut root) = serde_json::from_str::<serde_json::Value>(&text) else {
        // Not JSON: the runtime will say what is wrong with it; it is passed on as it is.
        return Ok((Some(text), files));
    };
    let Some(schemas) = root.get_mut("schemas").and_then(|s| s.as_object_mut()) else {
        return Ok((Some(text), files));
    };
    let base = path.parent().unwrap_or(std::path::Path::new("."));
    for (topic, file) in schemas.iter_mut() {
        let Some(name) = file.as_str() else {
            continue;
        };
        let schema = std::fs::read_to_string(base.join(name))
            .map_err(|e| format!("schemas.{topic}: cannot read {name}: {e}"))?;
        let key = format!("schema.{}.json", scenic_k8s::names::sanitize(topic, 200));
        *file = serde_json::Value::String(format!("{}/{key}", scenic_k8s::manifests::CONFIG_DIR));
        files.insert(key, schema);
    }
    let text = serde_json::to_string_pretty(&root).map_err(|e| e.to_string())?;
    Ok((Some(text), files))
}

/// Each file's objects, or every problem printed and exit code 1 (2 for the configuration).
fn objects_of(a: &ManifestArgs) -> Result<Vec<Vec<scenic_k8s::Object>>, ExitCode> {
    let registry = a.config.registry_or_exit()?;
    let (config, files) = match &a.config.config {
        Some(p) => match std::fs::read_to_string(p)
            .map_err(|e| e.to_string())
            .and_then(|t| package_schemas(p, t))
        {
            Ok(c) => c,
            Err(e) => {
                eprintln!("error: {}: {e}", p.display());
                return Err(ExitCode::from(2));
            }
        },
        None => (None, Default::default()),
    };
    let opts = Options {
        namespace: a.namespace.clone(),
        image: a.image.clone(),
        replicas: a.replicas,
        config,
        files,
        fragments: Default::default(),
    };
    let fragments_dir = files::fragments_for(a.fragments.as_ref(), &a.files);
    let mut out = Vec::new();
    let mut failed = false;
    for path in &a.files {
        let text = match scenario_file::read(path, MAX_SCENARIO_BYTES) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{}: cannot read: {e}", path.display());
                failed = true;
                continue;
            }
        };
        let info = match scenic_scenario::model::parse_scenario(&text)
            .and_then(|f| ScenarioInfo::of_file(&f))
        {
            Ok(i) => i,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                failed = true;
                continue;
            }
        };
        let fragments = match fragments_of(&text, fragments_dir.as_deref()) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                failed = true;
                continue;
            }
        };
        if info.streaming {
            // Its Kafka components compile in `scenic-stream`; the pod checks it at start.
            eprintln!(
                "note: {}: a streaming scenario; check it with `scenic-stream {} --config FILE --check`",
                path.display(),
                path.display()
            );
        } else if let Err(errors) = files::load(
            path,
            &registry,
            fragments_dir.as_ref(),
            &scenic_scenario::ScenarioLimits::default(),
        ) {
            files::print_errors(path, &errors);
            failed = true;
            continue;
        }
        let opts = Options {
            fragments,
            ..opts.clone()
        };
        match scenic_k8s::objects(&info, &text, &opts) {
            Ok(objects) => out.push(objects),
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                failed = true;
            }
        }
    }
    if failed {
        return Err(ExitCode::from(1));
    }
    Ok(out)
}
