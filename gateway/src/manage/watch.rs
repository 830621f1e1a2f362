//! Folder watch (`decisions.md` §6): a scenario file added or changed is (re)deployed, a removed
//! one is cancelled. A file that fails to compile is reported and the previous version keeps
//! serving.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use super::{DeployError, Manager};
use crate::scenario_file::{self, is_scenario_name, ReadError, MAX_SCENARIO_BYTES};

/// Events closer than this are handled together (editors write files in several steps).
const SETTLE: Duration = Duration::from_millis(100);

fn name_of(p: &Path) -> Option<String> {
    p.file_stem().and_then(|s| s.to_str()).map(str::to_string)
}

/// Applies the current state of one file.
pub fn apply(manager: &Manager, path: &Path) {
    let Some(name) = name_of(path) else { return };
    match scenario_file::read(path, MAX_SCENARIO_BYTES) {
        Ok(text) => match manager.deploy_text(&name, &text) {
            Ok(s) => {
                tracing::info!(scenario = %name, version = ?s.version, "deployed from {}", path.display())
            }
            Err(DeployError::Invalid(errors)) => {
                tracing::warn!(scenario = %name, "not deployed: {} error(s) in {}", errors.len(), path.display());
                for e in errors {
                    tracing::warn!(scenario = %name, "  {e}");
                }
            }
            Err(DeployError::NotRequestResponse) => tracing::info!(
                "{}: skipped: not a request-response scenario",
                path.display()
            ),
            Err(DeployError::Conflict(c)) => tracing::warn!(scenario = %name, "not deployed: {c}"),
        },
        Err(ReadError::Missing) => {
            if manager.cancel_name(&name) {
                tracing::info!(scenario = %name, "cancelled: {} was removed", path.display());
            }
        }
        Err(e) => tracing::warn!("{}: skipped: {e}", path.display()),
    }
}

/// Watches `dir` (not recursively: `fragments/` holds fragments). The returned watcher must
/// be kept alive.
pub fn watch(dir: PathBuf, manager: Arc<Manager>) -> notify::Result<notify::RecommendedWatcher> {
    let (tx, rx) = mpsc::channel::<PathBuf>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            for p in event.paths {
                let _ = tx.send(p);
            }
        }
    })?;
    watcher.watch(&dir, RecursiveMode::NonRecursive)?;
    std::thread::Builder::new()
        .name("scenic-watch".into())
        .spawn(move || {
            while let Ok(first) = rx.recv() {
                let mut batch = BTreeSet::new();
                batch.insert(first);
                while let Ok(p) = rx.recv_timeout(SETTLE) {
                    batch.insert(p);
                }
                for p in batch.iter().filter(|p| is_scenario_name(p)) {
                    apply(&manager, p);
                }
            }
        })
        .map_err(|e| notify::Error::generic(&e.to_string()))?;
    Ok(watcher)
}
