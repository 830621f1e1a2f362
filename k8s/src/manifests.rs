//! The Kubernetes objects of one scenario version (`nussknacker-lite.md` §6, `decisions.md` §8):
//! a ConfigMap with the scenario and its configuration, a Deployment running the
//! single-scenario runtime image, and for request-response a Service. Pure: the same file,
//! configuration and options give the same objects on every machine.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{
    Deployment, DeploymentSpec, DeploymentStrategy, RollingUpdateDeployment,
};
use k8s_openapi::api::core::v1::{
    Capabilities, ConfigMap, ConfigMapVolumeSource, Container, ContainerPort, EnvVar, EnvVarSource,
    HTTPGetAction, KeyToPath, Lifecycle, LifecycleHandler, ObjectFieldSelector, PodSecurityContext,
    PodSpec, PodTemplateSpec, Probe, ResourceRequirements, SeccompProfile, SecurityContext,
    Service, ServicePort, ServiceSpec, SleepAction, Volume, VolumeMount,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use scenic_scenario::model::{ScenarioFile, ScenarioType};
use serde_json::Value as Json;

use crate::names;

/// The runtime's port in the pod (`--port`), named `http`.
pub const PORT: i32 = 8080;
/// Where the ConfigMap is mounted.
pub const CONFIG_DIR: &str = "/etc/scenic";
/// Streaming workers per replica unless `--replicas` fixes the replicas (the reference's
/// `tasksPerReplica` default).
pub const TASKS_PER_REPLICA: usize = 4;
/// Request-response replicas unless `--replicas` says otherwise (the reference's default).
pub const RR_REPLICAS: i32 = 2;
/// How long a pod keeps serving after it is told to stop, before SIGTERM: endpoint removal
/// reaches every gateway and kube-proxy meanwhile (`k8s-gateway.md` §4.5).
pub const PRE_STOP_SECONDS: i64 = 5;

/// Labels every object of a scenario version carries.
pub const LABEL_SCENARIO: &str = "scenic.io/scenario";
pub const LABEL_VERSION: &str = "scenic.io/version";
pub const LABEL_SLUG: &str = "scenic.io/slug";
pub const LABEL_MODE: &str = "scenic.io/mode";
/// The exact scenario name (labels cannot hold every name).
pub const ANNOTATION_NAME: &str = "scenic.io/scenario-name";
/// The configuration's hash on the pod template: a new configuration restarts the pods.
pub const ANNOTATION_CONFIG: &str = "scenic.io/config-hash";

/// What the objects need to know of a scenario, read from its parsed file (a streaming
/// scenario's Kafka components compile only in `scenic-stream`).
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioInfo {
    /// `metaData.id`.
    pub name: String,
    /// The `slug` property, else the name's default slug (request-response).
    pub slug: String,
    pub streaming: bool,
    /// The content hash (`version_of`), as the runtime reports it.
    pub version: String,
    /// The `parallelism` property (streaming workers in all), 1 when unset.
    pub parallelism: usize,
}

impl ScenarioInfo {
    pub fn of_file(file: &ScenarioFile) -> Result<ScenarioInfo, String> {
        let properties = file.meta.properties();
        let streaming = match file.meta.scenario_type()? {
            ScenarioType::RequestResponse => false,
            ScenarioType::LiteStream | ScenarioType::Stream => true,
            ScenarioType::Fragment => {
                return Err(
                    "a fragment is not deployed on its own: deploy the scenarios that use it"
                        .into(),
                )
            }
        };
        let name = file.meta.id.clone();
        Ok(ScenarioInfo {
            slug: properties
                .get("slug")
                .filter(|s| !s.is_empty())
                .cloned()
                .unwrap_or_else(|| scenic_scenario::default_slug(&name)),
            name,
            streaming,
            version: scenic_scenario::version_of(file),
            parallelism: properties
                .get("parallelism")
                .and_then(|p| p.trim().parse::<usize>().ok())
                .unwrap_or(1)
                .clamp(1, 256),
        })
    }
}

/// What the objects are made with, beside the scenario.
#[derive(Debug, Clone)]
pub struct Options {
    pub namespace: Option<String>,
    /// The runtime image (both `scenic` and `scenic-stream`).
    pub image: String,
    /// Replicas; unset: 2 for request-response, from `parallelism` for streaming.
    pub replicas: Option<i32>,
    /// The configuration file's text (`--config`): JSON, the reference's `modelConfig` keys.
    pub config: Option<String>,
    /// More files for the ConfigMap, by key (mounted at `/etc/scenic/<key>`): the topic
    /// schemas a streaming configuration names.
    pub files: BTreeMap<String, String>,
    /// The fragments the scenario uses, by id (their files' text): mounted as
    /// `/etc/scenic/fragments/<id>.json`, the runtime's `--fragments`.
    pub fragments: BTreeMap<String, String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            namespace: None,
            image: format!("scenic:{}", env!("CARGO_PKG_VERSION")),
            replicas: None,
            config: None,
            files: BTreeMap::new(),
            fragments: BTreeMap::new(),
        }
    }
}

/// Why there are no objects.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ManifestError {
    #[error("a streaming scenario needs --config with its Kafka settings (kafka.kafkaProperties.\"bootstrap.servers\", …)")]
    StreamingWithoutConfig,
    #[error("the configuration is not a JSON object: {0}")]
    ConfigNotAnObject(String),
    #[error("--replicas must be at least 1, not {0}")]
    Replicas(i32),
}

/// One object, in the order they are applied.
#[derive(Debug, Clone, PartialEq)]
pub enum Object {
    ConfigMap(Box<ConfigMap>),
    // Boxed: the API types are large and differ in size; a handful of objects are built.
    Deployment(Box<Deployment>),
    Service(Box<Service>),
}

impl Object {
    pub fn to_json(&self) -> Json {
        // Serializing the API types cannot fail (plain data with string keys).
        match self {
            Object::ConfigMap(o) => serde_json::to_value(o),
            Object::Deployment(o) => serde_json::to_value(o),
            Object::Service(o) => serde_json::to_value(o),
        }
        .unwrap_or(Json::Null)
    }
}

/// Replicas and workers per replica (`nussknacker-lite.md` §6.4).
pub fn scaling(streaming: bool, parallelism: usize, replicas: Option<i32>) -> (i32, usize) {
    match streaming {
        true => {
            let p = parallelism.max(1);
            match replicas {
                Some(r) => {
                    let r = r.max(1);
                    (r, p.div_ceil(r as usize))
                }
                None => {
                    let r = p.div_ceil(TASKS_PER_REPLICA);
                    (r as i32, p.div_ceil(r))
                }
            }
        }
        false => (replicas.unwrap_or(RR_REPLICAS).max(1), 1),
    }
}

fn labels(scenario: &ScenarioInfo, streaming: bool) -> BTreeMap<String, String> {
    let mode = if streaming {
        "streaming"
    } else {
        "request-response"
    };
    let mut l = BTreeMap::from([
        ("app.kubernetes.io/name".to_string(), "scenic".to_string()),
        ("app.kubernetes.io/component".to_string(), mode.to_string()),
        (
            "app.kubernetes.io/managed-by".to_string(),
            "scenic".to_string(),
        ),
        (
            LABEL_SCENARIO.to_string(),
            names::scenario_label(&scenario.name),
        ),
        (LABEL_VERSION.to_string(), scenario.version.clone()),
        (LABEL_MODE.to_string(), mode.to_string()),
    ]);
    if !streaming {
        l.insert(LABEL_SLUG.to_string(), scenario.slug.clone());
    }
    l
}

/// The objects of `scenario` (whose file's text is `text`), in apply order: ConfigMap,
/// Deployment, Service (request-response only).
pub fn objects(
    scenario: &ScenarioInfo,
    text: &str,
    opts: &Options,
) -> Result<Vec<Object>, ManifestError> {
    let streaming = scenario.streaming;
    if let Some(r) = opts.replicas.filter(|r| *r < 1) {
        return Err(ManifestError::Replicas(r));
    }
    let (replicas, tasks) = scaling(streaming, scenario.parallelism, opts.replicas);
    // The configuration as the pods read it; streaming gets its workers per replica.
    let config = match (&opts.config, streaming) {
        (None, true) => return Err(ManifestError::StreamingWithoutConfig),
        (None, false) => None,
        (Some(text), false) => Some(text.clone()),
        (Some(text), true) => {
            let mut c: Json = serde_json::from_str(text)
                .map_err(|e| ManifestError::ConfigNotAnObject(e.to_string()))?;
            let Some(o) = c.as_object_mut() else {
                return Err(ManifestError::ConfigNotAnObject("not an object".into()));
            };
            o.insert("parallelism".into(), Json::from(tasks));
            Some(serde_json::to_string_pretty(&c).unwrap_or_default())
        }
    };
    let name = names::object_name(&scenario.name, &scenario.version);
    let labels = labels(scenario, streaming);
    let selector = BTreeMap::from([
        (LABEL_SCENARIO.to_string(), labels[LABEL_SCENARIO].clone()),
        (LABEL_VERSION.to_string(), labels[LABEL_VERSION].clone()),
    ]);
    let annotations = BTreeMap::from([
        (ANNOTATION_NAME.to_string(), scenario.name.clone()),
        (LABEL_VERSION.to_string(), scenario.version.clone()),
    ]);
    let meta = || ObjectMeta {
        name: Some(name.clone()),
        namespace: opts.namespace.clone(),
        labels: Some(labels.clone()),
        annotations: Some(annotations.clone()),
        ..ObjectMeta::default()
    };

    let mut data = BTreeMap::from([("scenario.json".to_string(), text.to_string())]);
    if let Some(c) = &config {
        data.insert("config.json".to_string(), c.clone());
    }
    data.extend(opts.files.clone());
    // Every key at a path of its own; fragments in their folder, by their ids' file names.
    let mut items: Vec<(String, String)> = data.keys().map(|k| (k.clone(), k.clone())).collect();
    for (id, text) in &opts.fragments {
        let key = fragment_key(id);
        items.push((key.clone(), format!("fragments/{id}.json")));
        data.insert(key, text.clone());
    }
    let config_hash = names::short_hash(
        &data
            .iter()
            .map(|(k, v)| format!("{k}\0{v}\0"))
            .collect::<String>(),
        16,
    );
    let config_map = ConfigMap {
        metadata: meta(),
        data: Some(data),
        ..ConfigMap::default()
    };

    let file = format!("{CONFIG_DIR}/scenario.json");
    let mut command: Vec<String> = if streaming {
        vec!["scenic-stream".into(), file]
    } else {
        vec!["scenic".into(), "run".into(), file]
    };
    if config.is_some() {
        command.extend(["--config".into(), format!("{CONFIG_DIR}/config.json")]);
    }
    if !opts.fragments.is_empty() {
        command.extend(["--fragments".into(), format!("{CONFIG_DIR}/fragments")]);
    }
    command.extend([
        "--host".into(),
        "0.0.0.0".into(),
        "--port".into(),
        PORT.to_string(),
    ]);
    let http_get = |path: &str| HTTPGetAction {
        path: Some(path.into()),
        port: IntOrString::String("http".into()),
        ..HTTPGetAction::default()
    };
    let probe = |path: &str, period: i32, failures: i32| Probe {
        http_get: Some(http_get(path)),
        period_seconds: Some(period),
        failure_threshold: Some(failures),
        timeout_seconds: Some(5),
        ..Probe::default()
    };
    let field = |path: &str| EnvVarSource {
        field_ref: Some(ObjectFieldSelector {
            field_path: path.into(),
            ..ObjectFieldSelector::default()
        }),
        ..EnvVarSource::default()
    };
    let container = Container {
        name: "runtime".into(),
        image: Some(opts.image.clone()),
        image_pull_policy: Some("IfNotPresent".into()),
        command: Some(command),
        ports: Some(vec![ContainerPort {
            name: Some("http".into()),
            container_port: PORT,
            protocol: Some("TCP".into()),
            ..ContainerPort::default()
        }]),
        env: Some(vec![
            EnvVar {
                name: "POD_NAME".into(),
                value_from: Some(field("metadata.name")),
                ..EnvVar::default()
            },
            // The InfluxDB reporter's `instanceId` (when the configuration names none).
            EnvVar {
                name: "INSTANCE_ID".into(),
                value_from: Some(field("metadata.name")),
                ..EnvVar::default()
            },
        ]),
        volume_mounts: Some(vec![VolumeMount {
            name: "scenario".into(),
            mount_path: CONFIG_DIR.into(),
            read_only: Some(true),
            ..VolumeMount::default()
        }]),
        startup_probe: Some(probe("/alive", 1, 60)),
        readiness_probe: Some(probe("/ready", 2, 3)),
        liveness_probe: Some(probe("/alive", 5, 3)),
        lifecycle: Some(Lifecycle {
            pre_stop: Some(LifecycleHandler {
                sleep: Some(SleepAction {
                    seconds: PRE_STOP_SECONDS,
                }),
                ..LifecycleHandler::default()
            }),
            ..Lifecycle::default()
        }),
        resources: Some(ResourceRequirements {
            requests: Some(BTreeMap::from([
                ("cpu".to_string(), Quantity("100m".into())),
                ("memory".to_string(), Quantity("64Mi".into())),
            ])),
            limits: Some(BTreeMap::from([(
                "memory".to_string(),
                Quantity("1Gi".into()),
            )])),
            ..ResourceRequirements::default()
        }),
        security_context: Some(SecurityContext {
            allow_privilege_escalation: Some(false),
            read_only_root_filesystem: Some(true),
            capabilities: Some(Capabilities {
                drop: Some(vec!["ALL".into()]),
                ..Capabilities::default()
            }),
            ..SecurityContext::default()
        }),
        ..Container::default()
    };
    let mut pod_annotations = BTreeMap::from([
        ("prometheus.io/scrape".to_string(), "true".to_string()),
        ("prometheus.io/port".to_string(), PORT.to_string()),
        ("prometheus.io/path".to_string(), "/metrics".to_string()),
        (ANNOTATION_CONFIG.to_string(), config_hash),
    ]);
    pod_annotations.extend(annotations.clone());
    let strategy = if streaming {
        // One set of workers at a time per version, as the reference (partitions do not
        // move twice); a new version is a new Deployment anyway.
        DeploymentStrategy {
            type_: Some("Recreate".into()),
            ..DeploymentStrategy::default()
        }
    } else {
        // Never below the desired ready count: a new pod first, an old one after.
        DeploymentStrategy {
            type_: Some("RollingUpdate".into()),
            rolling_update: Some(RollingUpdateDeployment {
                max_unavailable: Some(IntOrString::Int(0)),
                max_surge: Some(IntOrString::Int(1)),
            }),
        }
    };
    let deployment = Deployment {
        metadata: meta(),
        spec: Some(DeploymentSpec {
            replicas: Some(replicas),
            selector: LabelSelector {
                match_labels: Some(selector.clone()),
                ..LabelSelector::default()
            },
            strategy: Some(strategy),
            min_ready_seconds: Some(0),
            progress_deadline_seconds: Some(600),
            revision_history_limit: Some(2),
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: Some(labels.clone()),
                    annotations: Some(pod_annotations),
                    ..ObjectMeta::default()
                }),
                spec: Some(PodSpec {
                    containers: vec![container],
                    volumes: Some(vec![Volume {
                        name: "scenario".into(),
                        config_map: Some(ConfigMapVolumeSource {
                            name: name.clone(),
                            items: Some(
                                items
                                    .into_iter()
                                    .map(|(key, path)| KeyToPath {
                                        key,
                                        path,
                                        ..KeyToPath::default()
                                    })
                                    .collect(),
                            ),
                            ..ConfigMapVolumeSource::default()
                        }),
                        ..Volume::default()
                    }]),
                    // The pre-stop pause, the runtime's drain (requests in flight finish)
                    // and a margin.
                    termination_grace_period_seconds: Some(PRE_STOP_SECONDS + 40),
                    // Scenario pods do not talk to the Kubernetes API.
                    automount_service_account_token: Some(false),
                    enable_service_links: Some(false),
                    security_context: Some(PodSecurityContext {
                        run_as_non_root: Some(true),
                        run_as_user: Some(10001),
                        run_as_group: Some(10001),
                        seccomp_profile: Some(SeccompProfile {
                            type_: "RuntimeDefault".into(),
                            ..SeccompProfile::default()
                        }),
                        ..PodSecurityContext::default()
                    }),
                    ..PodSpec::default()
                }),
            },
            ..DeploymentSpec::default()
        }),
        ..Deployment::default()
    };
    let mut out = vec![
        Object::ConfigMap(Box::new(config_map)),
        Object::Deployment(Box::new(deployment)),
    ];
    if !streaming {
        out.push(Object::Service(Box::new(Service {
            metadata: meta(),
            spec: Some(ServiceSpec {
                type_: Some("ClusterIP".into()),
                selector: Some(selector),
                ports: Some(vec![ServicePort {
                    name: Some("http".into()),
                    port: 80,
                    target_port: Some(IntOrString::String("http".into())),
                    protocol: Some("TCP".into()),
                    ..ServicePort::default()
                }]),
                ..ServiceSpec::default()
            }),
            ..Service::default()
        })));
    }
    Ok(out)
}

/// A fragment's ConfigMap key: `fragment.<id>.json` when the id is a valid key, else its
/// sanitized form with a hash of the id (keys are `[-._a-zA-Z0-9]+`).
fn fragment_key(id: &str) -> String {
    let valid = !id.is_empty()
        && id.len() <= 200
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'));
    if valid {
        format!("fragment.{id}.json")
    } else {
        format!(
            "fragment.{}-{}.json",
            names::sanitize(id, 100),
            names::short_hash(id, 10)
        )
    }
}

/// The objects as one YAML stream (`---` between documents), as `kubectl apply -f -` reads it.
pub fn to_yaml(objects: &[Object]) -> String {
    let mut out = String::new();
    for o in objects {
        out.push_str("---\n");
        out.push_str(&serde_norway::to_string(&o.to_json()).unwrap_or_default());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replicas_and_workers_follow_the_references_rules() {
        // Streaming: ceil(P / 4) replicas, then the workers spread evenly.
        assert_eq!(scaling(true, 1, None), (1, 1));
        assert_eq!(scaling(true, 4, None), (1, 4));
        assert_eq!(scaling(true, 5, None), (2, 3));
        assert_eq!(scaling(true, 10, None), (3, 4));
        // Fixed replicas: the workers per replica follow.
        assert_eq!(scaling(true, 10, Some(4)), (4, 3));
        // Request-response: 2 unless told, one worker.
        assert_eq!(scaling(false, 10, None), (2, 1));
        assert_eq!(scaling(false, 1, Some(5)), (5, 1));
    }

    #[test]
    fn fragment_keys_are_valid_config_map_keys() {
        assert_eq!(
            fragment_key("customer-segmentation"),
            "fragment.customer-segmentation.json"
        );
        let k = fragment_key("płatności ó");
        assert!(
            k.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b)),
            "{k}"
        );
        assert_ne!(fragment_key("a b"), fragment_key("a_b"));
    }
}
