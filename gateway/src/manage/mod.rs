//! The management API (`decisions.md` §6): deploy, redeploy, cancel and inspect scenarios over
//! HTTP. Write calls need `Authorization: Bearer <token>`; without a configured token they are
//! refused with 403 and an explanation. `watch` deploys from a folder the same way.

mod error;
pub mod watch;

pub use error::ManageError;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use scenic_rr::compute::ComputePool;
use scenic_rr::error::ErrorEntry;
use scenic_rr::metrics::Metrics;
use scenic_rr::routes::body::read_limited;
use scenic_rr::startup::ExtraRoutes;
use scenic_rr::{Deployed, Scenarios};
use scenic_scenario::compile::fragments_dir;
use scenic_scenario::model::ScenarioType;
use scenic_scenario::{
    load_scenario_with, CompileError, CompiledScenario, InvokeError, Registry, ScenarioLimits,
};
use scenic_spel::eval::Exhausted;
use serde::Serialize;
use subtle::ConstantTimeEq;

use crate::scenario_file::{self, ReadError};

/// What the API reports of one scenario.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Status {
    pub name: String,
    pub slug: Option<String>,
    pub mode: Option<&'static str>,
    pub version: Option<String>,
    /// `RUNNING`, or `FAILED` when no version serves (the attempts did not compile or were
    /// refused).
    pub status: &'static str,
    #[serde(rename = "deployedAt")]
    pub deployed_at: Option<String>,
    /// Errors of the last deployment attempt (compile errors, a refusal): `message`, `nodeId`,
    /// `parameter`, `line`, `column`.
    #[schema(value_type = Vec<ErrorEntry>)]
    pub errors: Vec<CompileError>,
}

/// The management API's own OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "Scenic management API", description = "Deploy, redeploy, cancel, inspect and test scenarios. Write calls need `Authorization: Bearer <token>`. Every error is a JSON array of `ErrorEntry`."),
    paths(put, delete, list, get, test),
    components(schemas(Status, ErrorEntry)),
    modifiers(&BearerAuth)
)]
pub struct ManagementApi;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        // A test runs at most `MAX_TEST_INPUTS` inputs (more are a 400): say so in its body's
        // schema, which the path macro cannot bound.
        use utoipa::openapi::{RefOr, Schema};
        let body = openapi
            .paths
            .paths
            .get_mut("/api/scenarios/{name}/test")
            .and_then(|item| item.post.as_mut())
            .and_then(|op| op.request_body.as_mut())
            .and_then(|body| body.content.get_mut("application/json"))
            .and_then(|content| content.schema.as_mut());
        if let Some(RefOr::T(Schema::Array(inputs))) = body {
            inputs.max_items = Some(MAX_TEST_INPUTS);
        }
        // No license: an empty one makes the document invalid.
        openapi.info.license = None;
        openapi.info.version = env!("CARGO_PKG_VERSION").to_string();
    }
}

/// Why a deployment did not happen.
#[derive(Debug)]
pub enum DeployError {
    Invalid(Vec<CompileError>),
    NotRequestResponse,
    Conflict(String),
}

/// What became of one scenario file.
#[derive(Debug)]
pub enum FileOutcome {
    /// The content is what was last deployed (or tried) from this file: nothing to do.
    Unchanged,
    Deployed(Status),
    Failed(DeployError),
    /// Not read: not a regular file, too large, unreadable.
    Skipped(ReadError),
    /// The file is gone; `true` when the deployment it made was cancelled.
    Removed(bool),
    /// Not deployed: its management name (the file name without `.json`) belongs to another
    /// file, `by` (a file of the same name in another served folder).
    NameTaken {
        name: String,
        by: PathBuf,
    },
}

/// Why a file is looked at.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Trigger {
    /// An event said the file may have changed: it is deployed unless its content is what it
    /// last deployed, so that saving a broken file again (after adding a missing fragment, say)
    /// retries it.
    Change,
    /// A scan (start-up, events lost): content already tried is not tried again.
    Scan,
}

/// What was last done with a file: hashes of its content.
#[derive(Clone, Copy, Debug)]
struct FileState {
    /// The content last deployed from it.
    deployed: Option<u64>,
    /// The content last tried (deployed or not).
    tried: u64,
}

/// What the manager knows of scenario files; one lock, so that a name's holder and the files'
/// states change together.
#[derive(Default)]
struct Files {
    /// What was last deployed and tried from each file, so that only a real change of the file
    /// redeploys it.
    state: HashMap<PathBuf, FileState>,
    /// The file each management name belongs to: the first file that claimed it (deployed or
    /// not), until that file is removed. Two served folders can hold files of the same name;
    /// without this the later one would silently replace the earlier one's scenario.
    holders: HashMap<String, PathBuf>,
}

/// Where a deployment came from.
#[derive(Clone, Debug, PartialEq)]
pub enum Origin {
    Api,
    File(PathBuf),
}

/// What one management name holds: its status, and the slug and scenario name
/// (`metaData.id`) it owns while a version of it is deployed.
struct Entry {
    status: Status,
    owned: Option<Owned>,
}

#[derive(Clone)]
struct Owned {
    slug: String,
    scenario: String,
    origin: Origin,
}

impl Owned {
    /// Names the owner `name` in a refusal: the management name, and the file it came from
    /// (its name only: a refusal must not reveal server paths).
    fn describe(&self, name: &str) -> String {
        match &self.origin {
            Origin::Api => format!("'{name}'"),
            Origin::File(p) => match p.file_name() {
                Some(f) => format!("'{name}' (deployed from file {})", f.to_string_lossy()),
                None => format!("'{name}'"),
            },
        }
    }
}

/// Locks, recovering from a poisoned lock (a panic elsewhere must not stop the API).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

pub struct Manager {
    pub scenarios: Arc<Scenarios>,
    pub metrics: Arc<Metrics>,
    pub registry: Registry,
    pub fragments: Option<PathBuf>,
    /// The largest scenario accepted, over HTTP and from a file.
    pub max_scenario: usize,
    token: Option<String>,
    /// By management name. A slug and a scenario name belong to one management name at most;
    /// every change of the deployments happens under this lock.
    entries: Mutex<HashMap<String, Entry>>,
    /// Files deployed or tried, and which file holds each name.
    files: Mutex<Files>,
    /// The limits every deployment compiles and runs under.
    limits: ScenarioLimits,
    /// Where test runs run, and how long they may take: as invocations do.
    compute: Option<(Arc<ComputePool>, Duration)>,
    /// Files of a served folder that are not scenarios: the configuration file (canonical).
    ignored: Vec<PathBuf>,
}

/// Most inputs one test call may run.
pub const MAX_TEST_INPUTS: usize = 1000;
/// Most traced node visits reported per input (a for-each over a long list visits many).
pub const MAX_TRACED_NODES: usize = 10_000;

/// Why a test call answered no report.
#[derive(Debug)]
pub enum TestError {
    NotDeployed,
    TooManyInputs(usize),
    Timeout(Duration),
}

fn content_hash(text: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// The management name of a scenario file: its name without `.json`.
pub fn name_of(path: &Path) -> Option<String> {
    path.file_stem()
        .and_then(|s| s.to_str())
        .map(str::to_string)
}

/// Logs what became of one file: at start-up and in the folder watch alike.
pub fn report(path: &Path, outcome: &FileOutcome) {
    let file = path.display();
    match outcome {
        FileOutcome::Unchanged => {}
        FileOutcome::Deployed(s) => {
            tracing::info!(scenario = %s.name, version = ?s.version, "deployed from {file}")
        }
        FileOutcome::Failed(DeployError::Invalid(errors)) => {
            tracing::warn!("{file}: not deployed: {} error(s)", errors.len());
            for e in errors {
                tracing::warn!("  {e}");
            }
        }
        FileOutcome::Failed(DeployError::NotRequestResponse) => tracing::info!(
            "{file}: skipped: a streaming scenario (run it with scenic-stream, see docs/streaming.md)"
        ),
        FileOutcome::Failed(DeployError::Conflict(c)) => {
            tracing::warn!("{file}: not deployed: {c}")
        }
        // Both full paths: the log is the server's own, and the two files share their name.
        FileOutcome::NameTaken { name, by } => tracing::warn!(
            "{file}: not deployed: the name '{name}' is taken by {}",
            by.display()
        ),
        FileOutcome::Skipped(why) => tracing::warn!("{file}: skipped: {why}"),
        FileOutcome::Removed(true) => tracing::info!("cancelled: {file} was removed"),
        FileOutcome::Removed(false) => {}
    }
}

fn rfc3339(t: SystemTime) -> String {
    let since = t.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
    // Milliseconds: two deployments within a second get different times.
    chrono::DateTime::from_timestamp(since.as_secs() as i64, since.subsec_nanos())
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default()
}

fn json(status: StatusCode, body: &impl Serialize) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("application/json")
        .body(serde_json::to_vec(body).unwrap_or_default())
}

impl Manager {
    /// The limits deployments compile and run under (default: `ScenarioLimits::DEFAULT`).
    pub fn with_limits(mut self, limits: ScenarioLimits) -> Manager {
        self.limits = limits;
        self
    }

    /// Test runs go to `compute` and stop after `timeout`, as invocations do. Without one they
    /// run where they are called, with `timeout` 30 s.
    pub fn with_compute(mut self, compute: Arc<ComputePool>, timeout: Duration) -> Manager {
        self.compute = Some((compute, timeout));
        self
    }

    pub fn new(
        scenarios: Arc<Scenarios>,
        metrics: Arc<Metrics>,
        registry: Registry,
        fragments: Option<PathBuf>,
        token: Option<String>,
        max_scenario: usize,
    ) -> Manager {
        let token = token.filter(|t| !t.is_empty());
        Manager {
            scenarios,
            metrics,
            registry,
            fragments,
            max_scenario,
            token,
            entries: Mutex::new(HashMap::new()),
            files: Mutex::new(Files::default()),
            limits: ScenarioLimits::default(),
            compute: None,
            ignored: Vec::new(),
        }
    }

    /// A file the folder scan and watch leave alone (the configuration file, when it lives in
    /// the served folder).
    pub fn ignoring(mut self, path: &Path) -> Manager {
        if let Ok(p) = path.canonicalize() {
            self.ignored.push(p);
        }
        self
    }

    /// Deploys a scenario file under its name, unless its content is what was last deployed
    /// from it (see [`Trigger`]); a file that is gone cancels its name. The one way files are
    /// deployed: the folder at start-up and the folder watch both come here, and from here to
    /// [`Manager::deploy_text`], the management API's way, so that a file is refused for the
    /// same conflicts, with the same error, as a PUT. On top of the API's rules, a management
    /// name belongs to one file (see [`FileOutcome::NameTaken`]).
    pub fn deploy_file(&self, path: &Path, trigger: Trigger) -> FileOutcome {
        if !self.ignored.is_empty() && path.canonicalize().is_ok_and(|p| self.ignored.contains(&p))
        {
            return FileOutcome::Unchanged;
        }
        let Some(name) = name_of(path) else {
            return FileOutcome::Skipped(ReadError::NotUtf8);
        };
        let text = match scenario_file::read(path, self.max_scenario) {
            Ok(t) => t,
            Err(ReadError::Missing) => {
                let mut files = lock(&self.files);
                let known = files.state.remove(path).is_some();
                // Only the name's holder cancels it: the removal of a file refused for its name
                // changes nothing.
                let holds = files.holders.get(&name).is_some_and(|h| h == path);
                if holds {
                    files.holders.remove(&name);
                }
                drop(files);
                // The file deployed (or tried) under its name: its removal is the latest change.
                return FileOutcome::Removed(known && holds && self.cancel_name(&name));
            }
            Err(e) => return FileOutcome::Skipped(e),
        };
        let hash = content_hash(&text);
        {
            let mut files = lock(&self.files);
            let state = files.state.get(path).copied();
            let unchanged = state.is_some_and(|s| match trigger {
                Trigger::Change => s.tried == hash && s.deployed == Some(hash),
                Trigger::Scan => s.tried == hash,
            });
            if unchanged {
                return FileOutcome::Unchanged;
            }
            let deployed = state.and_then(|s| s.deployed);
            files.state.insert(
                path.to_path_buf(),
                FileState {
                    deployed,
                    tried: hash,
                },
            );
            let holder = files.holders.get(&name).filter(|h| h.as_path() != path);
            // A holder that is gone gives the name up: its removal is not handled yet (a file
            // moved between two served folders, whose watchers run apart).
            if let Some(by) = holder.filter(|h| std::fs::symlink_metadata(h).is_ok()) {
                return FileOutcome::NameTaken {
                    name,
                    by: by.clone(),
                };
            }
            files.holders.insert(name.clone(), path.to_path_buf());
        }
        match self.deploy_text(&name, &text, Origin::File(path.to_path_buf())) {
            Ok(s) => {
                if let Some(state) = lock(&self.files).state.get_mut(path) {
                    state.deployed = Some(hash);
                }
                FileOutcome::Deployed(s)
            }
            Err(e) => FileOutcome::Failed(e),
        }
    }

    /// Deploys a file and logs the outcome (start-up and the folder watch). A removal that
    /// frees a name deploys the file that waited for it (refused earlier as
    /// [`FileOutcome::NameTaken`]).
    pub fn apply_file(&self, path: &Path, trigger: Trigger) {
        let outcome = self.deploy_file(path, trigger);
        report(path, &outcome);
        if let FileOutcome::Removed(_) = outcome {
            if let Some(next) = name_of(path).and_then(|n| self.waiting_for(&n)) {
                // `Change`: the waiting file's content was tried (and refused), not deployed.
                let outcome = self.deploy_file(&next, Trigger::Change);
                report(&next, &outcome);
            }
        }
    }

    /// A file refused for its name `name` that is still there, once the name has no holder.
    fn waiting_for(&self, name: &str) -> Option<PathBuf> {
        let files = lock(&self.files);
        if files.holders.contains_key(name) {
            return None;
        }
        let mut waiting: Vec<&PathBuf> = files
            .state
            .keys()
            .filter(|p| name_of(p).as_deref() == Some(name) && p.is_file())
            .collect();
        // A stable choice, whatever the map's order.
        waiting.sort();
        waiting.first().map(|p| (*p).clone())
    }

    /// The files deployed (or tried) so far.
    pub fn files(&self) -> Vec<PathBuf> {
        lock(&self.files).state.keys().cloned().collect()
    }

    /// Records a failed attempt: the previous version, if any, keeps serving and reports the
    /// attempt's errors.
    fn record_failure(entries: &mut HashMap<String, Entry>, name: &str, errors: Vec<CompileError>) {
        match entries.get_mut(name) {
            Some(e) if e.owned.is_some() => e.status.errors = errors,
            _ => {
                let status = Status {
                    name: name.to_string(),
                    slug: None,
                    mode: None,
                    version: None,
                    status: "FAILED",
                    deployed_at: None,
                    errors,
                };
                entries.insert(
                    name.to_string(),
                    Entry {
                        status,
                        owned: None,
                    },
                );
            }
        }
    }

    /// Checks `Authorization: Bearer <token>` in constant time.
    fn authorize(&self, req: &HttpRequest) -> Result<(), ManageError> {
        let Some(expected) = &self.token else {
            return Err(ManageError::Disabled);
        };
        let given = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        if given.as_bytes().ct_eq(expected.as_bytes()).into() {
            Ok(())
        } else {
            Err(ManageError::Unauthorized)
        }
    }

    /// Compiles and publishes a scenario under `name`. A failure leaves the previous version
    /// serving and is recorded in the status. A scenario whose slug or name (`metaData.id`)
    /// another management name owns is refused, naming the owner.
    pub fn deploy_text(
        &self,
        name: &str,
        text: &str,
        origin: Origin,
    ) -> Result<Status, DeployError> {
        let was_deployed = lock(&self.entries)
            .get(name)
            .is_some_and(|e| e.owned.is_some());
        let result = self.deploy_text_inner(name, text, origin);
        let outcome = match (&result, was_deployed) {
            (Ok(_), false) => "deployed",
            (Ok(_), true) => "redeployed",
            (Err(_), _) => "failed",
        };
        self.metrics.deploys.with_label_values(&[outcome]).inc();
        result
    }

    fn deploy_text_inner(
        &self,
        name: &str,
        text: &str,
        origin: Origin,
    ) -> Result<Status, DeployError> {
        if scenario_file::is_streaming(text) {
            return Err(DeployError::NotRequestResponse);
        }
        // Compiling takes long: outside the lock.
        let frags = fragments_dir(self.fragments.clone());
        let mut compiled =
            match load_scenario_with(text, &self.registry, frags.as_ref(), &self.limits) {
                Ok(s) => s,
                Err(e) => {
                    let errors = e.errors();
                    Self::record_failure(&mut lock(&self.entries), name, errors.clone());
                    return Err(DeployError::Invalid(errors));
                }
            };
        if compiled.scenario_type() != ScenarioType::RequestResponse {
            return Err(DeployError::NotRequestResponse);
        }
        let mut entries = lock(&self.entries);
        if let Some(refusal) = Self::owner_conflict(&entries, name, &compiled) {
            Self::record_failure(
                &mut entries,
                name,
                vec![CompileError::scenario(refusal.clone())],
            );
            return Err(DeployError::Conflict(refusal));
        }
        let previous = entries.get(name).and_then(|e| e.owned.clone());
        let previous_scenario = previous.as_ref().map(|p| p.scenario.clone());
        // A redeploy of the same scenario keeps counting where the old version stopped.
        if let Some(old) = previous
            .as_ref()
            .and_then(|p| self.scenarios.get(&p.slug))
            .filter(|old| old.scenario.name() == compiled.name())
        {
            compiled.adopt_counters(&old.scenario);
        }
        // Creates (or, on a redeploy, finds) the scenario's series: under the lock, so that a
        // concurrent cancel cannot remove them in between.
        let d = Deployed::new(Arc::new(compiled), &self.metrics);
        let new_scenario = d.scenario.name().to_string();
        let d = match self
            .scenarios
            .replace(previous.as_ref().map(|p| p.slug.as_str()), d)
        {
            Ok(d) => d,
            Err(refusal) => {
                // Nobody else owns the name (checked above): its fresh series must not stay.
                if previous_scenario.as_deref() != Some(new_scenario.as_str()) {
                    self.metrics.remove_scenario(&new_scenario);
                }
                return Err(DeployError::Conflict(refusal));
            }
        };
        // The name now serves another scenario (`metaData.id` changed): the old one is cancelled.
        if let Some(old) = previous_scenario.filter(|old| *old != new_scenario) {
            self.metrics.remove_scenario(&old);
        }
        let status = Status {
            name: name.to_string(),
            slug: Some(d.scenario.slug().to_string()),
            mode: Some("request-response"),
            version: Some(d.scenario.version().to_string()),
            status: "RUNNING",
            deployed_at: Some(rfc3339(SystemTime::now())),
            errors: Vec::new(),
        };
        let owned = Owned {
            slug: d.scenario.slug().to_string(),
            scenario: d.scenario.name().to_string(),
            origin,
        };
        entries.insert(
            name.to_string(),
            Entry {
                status: status.clone(),
                owned: Some(owned),
            },
        );
        Ok(status)
    }

    /// Why `compiled` cannot be deployed under `name`: its slug or its scenario name belongs
    /// to another management name.
    fn owner_conflict(
        entries: &HashMap<String, Entry>,
        name: &str,
        compiled: &CompiledScenario,
    ) -> Option<String> {
        let others = || {
            entries
                .iter()
                .filter(|(n, _)| n.as_str() != name)
                .filter_map(|(n, e)| Some((n, e.owned.as_ref()?)))
        };
        if let Some((n, o)) = others().find(|(_, o)| o.slug == compiled.slug()) {
            return Some(format!(
                "Slug '{}' belongs to {}",
                compiled.slug(),
                o.describe(n)
            ));
        }
        if let Some((n, o)) = others().find(|(_, o)| o.scenario == compiled.name()) {
            return Some(format!(
                "Scenario '{}' (metaData.id) is already deployed as {}",
                compiled.name(),
                o.describe(n)
            ));
        }
        None
    }

    /// Cancels the scenario deployed under `name`, and only what `name` owns; false when there
    /// is no such name.
    pub fn cancel_name(&self, name: &str) -> bool {
        let mut entries = lock(&self.entries);
        let Some(entry) = entries.remove(name) else {
            return false;
        };
        if let Some(o) = entry.owned {
            self.scenarios.remove_if(&o.slug, &o.scenario);
            // The scenario name belonged to this entry alone: no other deployment uses its series.
            self.metrics.remove_scenario(&o.scenario);
        }
        true
    }

    fn status(&self, name: &str) -> Option<Status> {
        lock(&self.entries).get(name).map(|e| e.status.clone())
    }

    fn cancel(&self, name: &str) -> Result<HttpResponse, ManageError> {
        if self.cancel_name(name) {
            Ok(HttpResponse::NoContent().finish())
        } else {
            Err(ManageError::NoSuchName(name.to_string()))
        }
    }

    /// The request timeout: for a body to arrive, and for a test call's inputs to run.
    fn timeout(&self) -> Duration {
        self.compute
            .as_ref()
            .map_or(Duration::from_secs(30), |(_, t)| *t)
    }

    /// Runs sample inputs through the deployed scenario: each node's variables and each sink's
    /// output; effects outside the process are skipped. Bounded as invocations are: on the
    /// compute pool, under the request timeout (for all inputs together), at most
    /// [`MAX_TEST_INPUTS`] inputs and [`MAX_TRACED_NODES`] traced visits per input.
    pub async fn test(
        &self,
        name: &str,
        inputs: Vec<serde_json::Value>,
    ) -> Result<serde_json::Value, TestError> {
        if inputs.len() > MAX_TEST_INPUTS {
            return Err(TestError::TooManyInputs(inputs.len()));
        }
        let slug = self
            .status(name)
            .and_then(|s| s.slug)
            .ok_or(TestError::NotDeployed)?;
        let deployed = self.scenarios.get(&slug).ok_or(TestError::NotDeployed)?;
        let timeout = self.timeout();
        let deadline = Instant::now() + timeout;
        let job = test_inputs(deployed, inputs, deadline);
        match &self.compute {
            Some((pool, _)) => pool
                .run(deadline, job)
                .await
                .map_err(|_| TestError::Timeout(timeout))?,
            None => job.await,
        }
    }

    fn list(&self) -> Vec<Status> {
        let mut v: Vec<Status> = lock(&self.entries)
            .values()
            .map(|e| e.status.clone())
            .collect();
        v.sort_by(|a, b| a.name.cmp(&b.name));
        v
    }
}

#[utoipa::path(put, path = "/api/scenarios/{name}", request_body(content = Object, description = "The scenario in the Designer's export format", content_type = "application/json"),
    params(("name" = String, Path, description = "Scenario name")),
    responses((status = 200, description = "Deployed", body = Status),
        (status = 400, description = "The scenario does not compile (every error), is not UTF-8 or not request-response; compile errors are then listed under the name (status FAILED unless a previous version still serves)", body = Vec<ErrorEntry>),
        (status = 401, description = "Missing or wrong token", body = Vec<ErrorEntry>), (status = 403, description = "No token configured", body = Vec<ErrorEntry>),
        (status = 409, description = "The slug or the scenario name (metaData.id) belongs to another name, which the message names", body = Vec<ErrorEntry>),
        (status = 408, description = "The body did not arrive within the request timeout", body = Vec<ErrorEntry>),
        (status = 413, description = "The body is over the limit", body = Vec<ErrorEntry>),
        (status = 500, description = "The deployment was interrupted", body = Vec<ErrorEntry>)),
    security(("bearer" = [])))]
async fn put(
    m: web::Data<Manager>,
    req: HttpRequest,
    name: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ManageError> {
    m.authorize(&req)?;
    let body = read_limited(&req, payload, m.max_scenario, m.timeout())
        .await
        .map_err(ManageError::Body)?;
    let text = String::from_utf8(body).map_err(|_| ManageError::NotUtf8)?;
    // Compiling takes long (a large scenario, seconds): on the blocking pool, so that this
    // worker goes on serving other requests meanwhile.
    let manager = m.into_inner();
    let name = name.into_inner();
    let status = web::block(move || manager.deploy_text(&name, &text, Origin::Api))
        .await
        .map_err(|_| ManageError::Interrupted)??;
    Ok(json(StatusCode::OK, &status))
}

#[utoipa::path(delete, path = "/api/scenarios/{name}", params(("name" = String, Path, description = "Scenario name")),
    responses((status = 204, description = "Cancelled"), (status = 401, description = "Missing or wrong token", body = Vec<ErrorEntry>),
        (status = 403, description = "No token configured", body = Vec<ErrorEntry>), (status = 404, description = "No such scenario", body = Vec<ErrorEntry>)),
    security(("bearer" = [])))]
async fn delete(
    m: web::Data<Manager>,
    req: HttpRequest,
    name: web::Path<String>,
) -> Result<HttpResponse, ManageError> {
    m.authorize(&req)?;
    m.cancel(&name)
}

/// Runs each input with a trace; the report, or a timeout when the deadline passed.
async fn test_inputs(
    deployed: Arc<Deployed>,
    inputs: Vec<serde_json::Value>,
    deadline: Instant,
) -> Result<serde_json::Value, TestError> {
    let scenario = &deployed.scenario;
    let mut results = Vec::with_capacity(inputs.len());
    for input in inputs {
        let mut trace = Trace {
            names: scenario.graph().slot_names(),
            nodes: Vec::new(),
            omitted: 0,
        };
        // Through the invocation API's own decoding, as a request would be decoded (a JSON
        // value always writes out as JSON the decoder reads back).
        let body = serde_json::to_vec(&input).unwrap_or_default();
        let run = match scenario
            .invoke_test(&body, Some(deadline), Some(&mut trace))
            .await
        {
            Ok(run) => run,
            Err(InvokeError::InvalidInput(violations)) => {
                let errors: Vec<ErrorEntry> = violations
                    .into_iter()
                    .map(|v| ErrorEntry::at(v.message, None, v.pointer))
                    .collect();
                results.push(serde_json::json!({"nodes": [], "outputs": [], "errors": errors}));
                continue;
            }
            Err(e) => {
                let errors = [ErrorEntry::new(e.to_string(), None)];
                results.push(serde_json::json!({"nodes": [], "outputs": [], "errors": errors}));
                continue;
            }
        };
        if run.exhausted == Some(Exhausted::Deadline) {
            let left = deadline.saturating_duration_since(Instant::now());
            return Err(TestError::Timeout(left));
        }
        results.push(serde_json::json!({
            "nodes": trace.nodes,
            "omittedNodes": trace.omitted,
            "outputs": run.outputs.iter().map(|o| output_json(&o.node_id, &o.value(), scenario.graph().limits())).collect::<Vec<_>>(),
            "errors": run.errors.iter().map(|e| serde_json::json!({"nodeId": &*e.node_id, "message": e.message()})).collect::<Vec<_>>(),
            "omittedErrors": run.omitted_errors,
            "skippedCalls": skipped_calls_json(&run.skipped_calls),
        }));
    }
    Ok(serde_json::json!({ "results": results }))
}

/// The calls a test run skipped, with what they would have sent: `[{nodeId, request}]`.
pub(crate) fn skipped_calls_json(
    calls: &[scenic_scenario::interp::SkippedCall],
) -> serde_json::Value {
    serde_json::Value::Array(
        calls
            .iter()
            .map(|c| {
                serde_json::json!({"nodeId": &*c.node_id, "request": scenic_spel::value::to_json(&c.request)})
            })
            .collect(),
    )
}

/// A sink's output as the test report shows it; one over the value limits is named, not
/// written out.
pub(crate) fn output_json(
    node: &str,
    value: &scenic_spel::Value,
    limits: &scenic_spel::limits::Limits,
) -> serde_json::Value {
    match limits.check(value) {
        Ok(()) => serde_json::json!({"nodeId": node, "value": scenic_spel::value::to_json(value)}),
        Err(e) => {
            serde_json::json!({"nodeId": node, "error": format!("The output is over a limit: {e}")})
        }
    }
}

/// Collects the variables each node sees, up to [`MAX_TRACED_NODES`] visits.
struct Trace<'a> {
    names: &'a [String],
    nodes: Vec<serde_json::Value>,
    omitted: usize,
}

impl scenic_scenario::interp::Tracer for Trace<'_> {
    fn node(&mut self, node_id: &str, ctx: &scenic_scenario::graph::Ctx) {
        if self.nodes.len() >= MAX_TRACED_NODES {
            self.omitted += 1;
            return;
        }
        let mut vars = serde_json::Map::new();
        for (i, v) in ctx.iter().enumerate() {
            let name = self.names.get(i).map(String::as_str).unwrap_or("");
            if v.is_null() || name.is_empty() || name.contains('\u{0}') {
                continue;
            }
            vars.insert(name.to_string(), scenic_spel::value::to_json(v));
        }
        self.nodes
            .push(serde_json::json!({"nodeId": node_id, "variables": vars}));
    }
}

#[utoipa::path(post, path = "/api/scenarios/{name}/test", request_body(content = Vec<serde_json::Value>, description = "Inputs, each any JSON value: an input that does not match the scenario's input schema gets its violations in its result", content_type = "application/json"),
    params(("name" = String, Path, description = "Scenario name")),
    responses((status = 200, description = "Per input: each node's variables, each sink's output, each error", body = Object),
        (status = 400, description = "The body is not a JSON array, or has more inputs than a test runs", body = Vec<ErrorEntry>), (status = 401, description = "Missing or wrong token", body = Vec<ErrorEntry>),
        (status = 403, description = "No token configured", body = Vec<ErrorEntry>), (status = 404, description = "No such scenario deployed", body = Vec<ErrorEntry>),
        (status = 408, description = "The body did not arrive within the request timeout", body = Vec<ErrorEntry>),
        (status = 413, description = "The body is over the limit", body = Vec<ErrorEntry>),
        (status = 504, description = "The inputs did not finish within the request timeout (all together)", body = Vec<ErrorEntry>)),
    security(("bearer" = [])))]
async fn test(
    m: web::Data<Manager>,
    req: HttpRequest,
    name: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ManageError> {
    m.authorize(&req)?;
    let body = read_limited(&req, payload, m.max_scenario, m.timeout())
        .await
        .map_err(ManageError::Body)?;
    let inputs = match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(serde_json::Value::Array(items)) => items,
        Ok(_) => return Err(ManageError::NotAnArray),
        Err(e) => return Err(ManageError::MalformedJson(e)),
    };
    let report = m.test(&name, inputs).await.map_err(|e| match e {
        TestError::NotDeployed => ManageError::NotDeployed(name.to_string()),
        TestError::TooManyInputs(n) => ManageError::TooManyInputs(n),
        TestError::Timeout(t) => ManageError::TestTimeout(t),
    })?;
    Ok(json(StatusCode::OK, &report))
}

#[utoipa::path(get, path = "/api/scenarios", responses((status = 200, description = "Every scenario", body = Vec<Status>)))]
async fn list(m: web::Data<Manager>) -> HttpResponse {
    json(StatusCode::OK, &m.list())
}

#[utoipa::path(get, path = "/api/scenarios/{name}", params(("name" = String, Path, description = "Scenario name")),
    responses((status = 200, description = "The scenario", body = Status), (status = 404, description = "No such scenario", body = Vec<ErrorEntry>)))]
async fn get(m: web::Data<Manager>, name: web::Path<String>) -> Result<HttpResponse, ManageError> {
    let status = m
        .status(&name)
        .ok_or_else(|| ManageError::NoSuchName(name.to_string()))?;
    Ok(json(StatusCode::OK, &status))
}

async fn openapi() -> HttpResponse {
    use utoipa::OpenApi;
    HttpResponse::Ok().content_type("application/json").body(
        ManagementApi::openapi()
            .to_pretty_json()
            .unwrap_or_default(),
    )
}

/// A wrong method on a management resource: 405 with `Allow`, in the error shape.
fn not_allowed(allow: &'static str) -> actix_web::Route {
    web::to(move || async move { ManageError::MethodNotAllowed(allow).error_response() })
}

/// A scenario name that cannot be decoded (bad percent-encoding) names no scenario: 404.
fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|e, _| {
        let r = ManageError::BadName(e.to_string()).error_response();
        actix_web::error::InternalError::from_response(e, r).into()
    })
}

/// The routes, to hand to the runtime's `Settings::extra_routes`.
pub fn routes(manager: Arc<Manager>) -> ExtraRoutes {
    Arc::new(move |cfg: &mut web::ServiceConfig| {
        cfg.app_data(web::Data::from(manager.clone()))
            .service(
                web::resource("/api/openapi.json")
                    .route(web::get().to(openapi))
                    .default_service(not_allowed("GET")),
            )
            .service(
                web::resource("/api/scenarios")
                    .route(web::get().to(list))
                    .default_service(not_allowed("GET")),
            )
            .service(
                web::resource("/api/scenarios/{name}/test")
                    .app_data(path_config())
                    .route(web::post().to(test))
                    .default_service(not_allowed("POST")),
            )
            .service(
                web::resource("/api/scenarios/{name}")
                    .app_data(path_config())
                    .route(web::get().to(get))
                    .route(web::put().to(put))
                    .route(web::delete().to(delete))
                    .default_service(not_allowed("GET, PUT, DELETE")),
            );
    })
}
