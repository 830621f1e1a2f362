//! The deployment manager: applies a scenario version's objects, reports status, cancels, and
//! moves traffic between versions in the gateway's routes ConfigMap. It talks to the API
//! server through `kube`'s client (the usual kubeconfig, or in-cluster credentials); the tests
//! give it a mock service instead.
//!
//! - **Deploy** is a server-side apply of each object (field manager `scenic`), ConfigMap
//!   first, then the Deployment; the ConfigMap and the Service then name the Deployment as their
//!   owner, so that deleting a version's Deployment takes its other objects with it. Older
//!   versions stay, so that a rollback is a weight change.
//! - **Traffic** rewrites one scenario's entry of `scenic-gateway-routes`
//!   (`routes.json`) with a read-modify-replace on the object's `resourceVersion`: a concurrent
//!   change answers 409, and the change is read and made again (up to [`CONFLICT_RETRIES`]).
//! - **Cancel** deletes a version's (or every version's) Services, Deployments and ConfigMaps,
//!   in that order, as the reference does.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{ConfigMap, Pod, Service};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams, PostParams};
use serde_json::Value as Json;

use crate::manifests::{Object, LABEL_SCENARIO, LABEL_SLUG, LABEL_VERSION};
use crate::status::{self, Status};

/// The field manager of every apply.
pub const FIELD_MANAGER: &str = "scenic";
/// The gateway's routes ConfigMap (`k8s/manifests/gateway.yaml`).
pub const ROUTES_CONFIG_MAP: &str = "scenic-gateway-routes";
/// Times a routes change is read and made again after a 409.
pub const CONFLICT_RETRIES: usize = 5;
/// The label every managed object carries.
const MANAGED: &str = "app.kubernetes.io/managed-by=scenic";

#[derive(Debug, thiserror::Error)]
pub enum ManagerError {
    #[error("Kubernetes: {0}")]
    Kube(#[from] kube::Error),
    #[error("the routes ConfigMap {0}: {1}")]
    Routes(String, String),
    #[error("{0}")]
    Invalid(String),
    #[error("another change to {0} kept conflicting (409) after {CONFLICT_RETRIES} tries")]
    Conflict(String),
}

/// One deployed version and its state.
#[derive(Debug, Clone, PartialEq)]
pub struct VersionStatus {
    pub deployment: String,
    pub scenario: String,
    pub version: String,
    pub slug: Option<String>,
    pub status: Status,
}

pub struct Manager {
    client: kube::Client,
    namespace: String,
}

fn is_conflict(e: &kube::Error) -> bool {
    matches!(e, kube::Error::Api(s) if s.code == 409)
}

fn is_not_found(e: &kube::Error) -> bool {
    matches!(e, kube::Error::Api(s) if s.code == 404)
}

impl Manager {
    /// A manager on `client` in `namespace` (default: the client's).
    pub fn new(client: kube::Client, namespace: Option<String>) -> Manager {
        let namespace = namespace.unwrap_or_else(|| client.default_namespace().to_string());
        Manager { client, namespace }
    }

    /// A manager from the usual kubeconfig or the in-cluster service account.
    pub async fn connect(namespace: Option<String>) -> Result<Manager, ManagerError> {
        let client = kube::Client::try_default().await?;
        Ok(Manager::new(client, namespace))
    }

    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    fn api<K>(&self) -> Api<K>
    where
        K: kube::Resource<Scope = kube::core::NamespaceResourceScope>,
        <K as kube::Resource>::DynamicType: Default,
    {
        Api::namespaced(self.client.clone(), &self.namespace)
    }

    /// Applies a version's objects (as [`crate::objects`] made them); the names applied.
    pub async fn deploy(&self, objects: &[Object]) -> Result<Vec<String>, ManagerError> {
        let apply = PatchParams::apply(FIELD_MANAGER).force();
        let mut applied = Vec::new();
        let mut owner: Option<OwnerReference> = None;
        let mut owned: Vec<(&'static str, String)> = Vec::new();
        for o in objects {
            match o {
                Object::ConfigMap(c) => {
                    let name = c.metadata.name.clone().unwrap_or_default();
                    self.api::<ConfigMap>()
                        .patch(&name, &apply, &Patch::Apply(c.as_ref()))
                        .await?;
                    owned.push(("ConfigMap", name.clone()));
                    applied.push(format!("configmap/{name}"));
                }
                Object::Deployment(d) => {
                    let name = d.metadata.name.clone().unwrap_or_default();
                    let live = self
                        .api::<Deployment>()
                        .patch(&name, &apply, &Patch::Apply(d.as_ref()))
                        .await?;
                    owner = live.metadata.uid.clone().map(|uid| OwnerReference {
                        api_version: "apps/v1".into(),
                        kind: "Deployment".into(),
                        name: name.clone(),
                        uid,
                        controller: Some(false),
                        block_owner_deletion: Some(false),
                    });
                    applied.push(format!("deployment/{name}"));
                }
                Object::Service(s) => {
                    let mut s = (**s).clone();
                    let name = s.metadata.name.clone().unwrap_or_default();
                    s.metadata.owner_references = owner.clone().map(|o| vec![o]);
                    self.api::<Service>()
                        .patch(&name, &apply, &Patch::Apply(&s))
                        .await?;
                    applied.push(format!("service/{name}"));
                }
            }
        }
        // The ConfigMap was applied before its Deployment existed: it names its owner now.
        if let Some(o) = owner {
            for (_, name) in owned {
                let patch = serde_json::json!({
                    "apiVersion": "v1", "kind": "ConfigMap",
                    "metadata": {"name": name, "ownerReferences": [o]}
                });
                self.api::<ConfigMap>()
                    .patch(&name, &apply, &Patch::Apply(&patch))
                    .await?;
            }
        }
        Ok(applied)
    }

    /// Every deployed version (of one scenario, by its `scenic.io/scenario` label), with its
    /// state computed from its Deployment and pods.
    pub async fn status(&self, scenario: Option<&str>) -> Result<Vec<VersionStatus>, ManagerError> {
        let mut selector = MANAGED.to_string();
        if let Some(s) = scenario {
            selector.push_str(&format!(",{LABEL_SCENARIO}={s}"));
        }
        let deployments = self
            .api::<Deployment>()
            .list(&ListParams::default().labels(&selector))
            .await?;
        let mut out = Vec::new();
        for d in deployments.items {
            let labels = d.metadata.labels.clone().unwrap_or_default();
            let version = labels.get(LABEL_VERSION).cloned().unwrap_or_default();
            let scenario = labels.get(LABEL_SCENARIO).cloned().unwrap_or_default();
            let pods = self
                .api::<Pod>()
                .list(&ListParams::default().labels(&format!(
                    "{LABEL_SCENARIO}={scenario},{LABEL_VERSION}={version}"
                )))
                .await?;
            out.push(VersionStatus {
                deployment: d.metadata.name.clone().unwrap_or_default(),
                status: status::of_deployment(&d, &pods.items),
                slug: labels.get(LABEL_SLUG).cloned(),
                scenario,
                version,
            });
        }
        out.sort_by(|a, b| (&a.scenario, &a.version).cmp(&(&b.scenario, &b.version)));
        Ok(out)
    }

    /// Deletes the versions of `scenario` (one `version`, or all): Services, Deployments,
    /// ConfigMaps. The number of objects deleted.
    pub async fn cancel(
        &self,
        scenario: &str,
        version: Option<&str>,
    ) -> Result<usize, ManagerError> {
        let mut selector = format!("{MANAGED},{LABEL_SCENARIO}={scenario}");
        if let Some(v) = version {
            selector.push_str(&format!(",{LABEL_VERSION}={v}"));
        }
        let list = ListParams::default().labels(&selector);
        let delete = DeleteParams::background();
        let mut deleted = 0;
        for s in self.api::<Service>().list(&list).await?.items {
            let name = s.metadata.name.unwrap_or_default();
            match self.api::<Service>().delete(&name, &delete).await {
                Ok(_) => deleted += 1,
                Err(e) if is_not_found(&e) => {}
                Err(e) => return Err(e.into()),
            }
        }
        for d in self.api::<Deployment>().list(&list).await?.items {
            let name = d.metadata.name.unwrap_or_default();
            match self.api::<Deployment>().delete(&name, &delete).await {
                Ok(_) => deleted += 1,
                Err(e) if is_not_found(&e) => {}
                Err(e) => return Err(e.into()),
            }
        }
        for c in self.api::<ConfigMap>().list(&list).await?.items {
            let name = c.metadata.name.unwrap_or_default();
            match self.api::<ConfigMap>().delete(&name, &delete).await {
                Ok(_) => deleted += 1,
                Err(e) if is_not_found(&e) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(deleted)
    }

    /// Deletes the versions of `scenario` beyond the `keep` newest (by their Deployment's
    /// creation) that no route sends traffic to: a version with a weight above 0 in the routes
    /// ConfigMap stays whatever its age, so a rollback stays a weight change. The versions
    /// deleted.
    pub async fn prune(&self, scenario: &str, keep: usize) -> Result<Vec<String>, ManagerError> {
        let mut deployments = self
            .api::<Deployment>()
            .list(&ListParams::default().labels(&format!("{MANAGED},{LABEL_SCENARIO}={scenario}")))
            .await?
            .items;
        // Newest first; the name breaks ties, so the order is the same on every run.
        deployments.sort_by(|a, b| {
            let at = |d: &Deployment| d.metadata.creation_timestamp.clone().map(|t| t.0);
            at(b)
                .cmp(&at(a))
                .then_with(|| a.metadata.name.cmp(&b.metadata.name))
        });
        let routed = self.routed_versions().await?;
        let mut deleted = Vec::new();
        for d in deployments.iter().skip(keep) {
            let Some(version) = d
                .metadata
                .labels
                .as_ref()
                .and_then(|l| l.get(LABEL_VERSION))
                .cloned()
            else {
                continue;
            };
            if routed.contains(&version) {
                continue;
            }
            self.cancel(scenario, Some(&version)).await?;
            deleted.push(version);
        }
        Ok(deleted)
    }

    /// The versions the routes ConfigMap gives a weight above 0 (none when it does not exist).
    async fn routed_versions(&self) -> Result<std::collections::BTreeSet<String>, ManagerError> {
        let cm = match self.api::<ConfigMap>().get(ROUTES_CONFIG_MAP).await {
            Ok(cm) => cm,
            Err(e) if is_not_found(&e) => return Ok(Default::default()),
            Err(e) => return Err(e.into()),
        };
        let routes: Json = cm
            .data
            .as_ref()
            .and_then(|d| d.get("routes.json"))
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or(Json::Null);
        Ok(routes["routes"]
            .as_object()
            .into_iter()
            .flatten()
            .flat_map(|(_, list)| list.as_array().cloned().unwrap_or_default())
            .filter(|b| b["weight"].as_u64().unwrap_or(1) > 0)
            .filter_map(|b| b["version"].as_str().map(str::to_string))
            .collect())
    }

    /// Sets the weights of `slug`'s versions in the gateway's routes: each version's Service
    /// (`http://<service>`) with its weight. Every version named must have its Service.
    pub async fn traffic(
        &self,
        slug: &str,
        weights: &[(String, u32)],
    ) -> Result<Json, ManagerError> {
        let services = self
            .api::<Service>()
            .list(&ListParams::default().labels(&format!("{MANAGED},{LABEL_SLUG}={slug}")))
            .await?;
        let by_version: BTreeMap<String, String> = services
            .items
            .iter()
            .filter_map(|s| {
                let v = s.metadata.labels.as_ref()?.get(LABEL_VERSION)?.clone();
                Some((v, s.metadata.name.clone()?))
            })
            .collect();
        let mut backends = Vec::new();
        for (version, weight) in weights {
            // A version may be named by its first characters, as the objects' names show it.
            let matches: Vec<(&String, &String)> = by_version
                .iter()
                .filter(|(v, _)| v.starts_with(version.as_str()))
                .collect();
            let (full, service) = match matches.as_slice() {
                [one] => *one,
                [] => {
                    return Err(ManagerError::Invalid(format!(
                        "no version {version} of '{slug}' is deployed (deployed: {})",
                        by_version.keys().cloned().collect::<Vec<_>>().join(", ")
                    )))
                }
                _ => {
                    return Err(ManagerError::Invalid(format!(
                        "{version} names more than one version of '{slug}'"
                    )))
                }
            };
            backends.push(serde_json::json!({"url": format!("http://{service}"),
                "weight": weight, "version": full}));
        }
        let api = self.api::<ConfigMap>();
        for _ in 0..CONFLICT_RETRIES {
            let mut cm = api.get(ROUTES_CONFIG_MAP).await.map_err(|e| {
                if is_not_found(&e) {
                    ManagerError::Routes(
                        ROUTES_CONFIG_MAP.into(),
                        format!(
                            "not found in {} (apply k8s/manifests/gateway.yaml)",
                            self.namespace
                        ),
                    )
                } else {
                    e.into()
                }
            })?;
            let data = cm.data.get_or_insert_with(Default::default);
            let mut routes: Json = match data.get("routes.json") {
                Some(text) => serde_json::from_str(text).map_err(|e| {
                    ManagerError::Routes(ROUTES_CONFIG_MAP.into(), format!("routes.json: {e}"))
                })?,
                None => serde_json::json!({"routes": {}}),
            };
            routes["routes"][slug] = Json::Array(backends.clone());
            data.insert(
                "routes.json".into(),
                serde_json::to_string_pretty(&routes).unwrap_or_default(),
            );
            // `replace` carries the resourceVersion read: a change in between is a 409.
            match api
                .replace(ROUTES_CONFIG_MAP, &PostParams::default(), &cm)
                .await
            {
                Ok(_) => return Ok(routes),
                Err(e) if is_conflict(&e) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(ManagerError::Conflict(format!(
            "configmap/{ROUTES_CONFIG_MAP}"
        )))
    }
}
