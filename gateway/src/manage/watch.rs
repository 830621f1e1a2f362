//! Folder watch (`decisions.md` §6): a scenario file added or changed is (re)deployed, a removed
//! one is cancelled. A file that fails to compile is reported and the previous version keeps
//! serving.
//!
//! Only events that can change a file's content count (create, write, rename, remove), not
//! reads (open, access, close without writing), and a file is redeployed only when its content
//! differs from what was last deployed from it: reading a served file, the watcher's own reads
//! included, changes nothing. Writing a broken file again retries it (a missing fragment may
//! have been added meanwhile).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{EventKind, RecursiveMode, Watcher};

use super::{Manager, Trigger};
use crate::scenario_file::is_scenario_name;

/// Events closer than this are handled together (editors write files in several steps).
const SETTLE: Duration = Duration::from_millis(100);

/// What the watcher thread is told.
enum Change {
    /// Something happened to this folder entry.
    Path(PathBuf),
    /// Events were lost (the kernel's queue overflowed): look at every file again.
    Rescan,
}

/// Whether an event can have changed a file's content or existence.
fn changes_content(kind: &EventKind) -> bool {
    match kind {
        // Finishing a write is a change (a slow writer's last chunk); opening, reading and
        // closing without writing are not.
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        // chmod, touch: the content is the same.
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) => true,
        // Unknown kinds: the content check decides.
        EventKind::Any | EventKind::Other => true,
    }
}

/// Applies the current state of some files, the removed ones first: a renamed file must free
/// its slug before its new name claims it.
fn apply_all<'a>(manager: &Manager, paths: impl Iterator<Item = &'a PathBuf>, trigger: Trigger) {
    let (gone, present): (Vec<&PathBuf>, Vec<&PathBuf>) = paths
        .filter(|p| is_scenario_name(p))
        .partition(|p| std::fs::symlink_metadata(p).is_err());
    for p in gone.into_iter().chain(present) {
        manager.apply_file(p, trigger);
    }
}

/// Applies every scenario file of `dir` and every file deployed from it that is gone.
fn rescan(manager: &Manager, dir: &Path) {
    let mut paths: BTreeSet<PathBuf> = manager
        .files()
        .into_iter()
        .filter(|p| p.parent() == Some(dir))
        .collect();
    match std::fs::read_dir(dir) {
        Ok(entries) => paths.extend(entries.filter_map(|e| e.ok().map(|e| e.path()))),
        Err(e) => tracing::warn!("cannot read {}: {e}", dir.display()),
    }
    apply_all(manager, paths.iter(), Trigger::Scan);
}

/// Watches `dir` (not recursively: `fragments/` holds fragments). The returned watcher must
/// be kept alive.
pub fn watch(dir: PathBuf, manager: Arc<Manager>) -> notify::Result<notify::RecommendedWatcher> {
    let (tx, rx) = mpsc::channel::<Change>();
    let mut watcher =
        notify::recommended_watcher(move |event: notify::Result<notify::Event>| match event {
            Ok(event) if event.need_rescan() => {
                let _ = tx.send(Change::Rescan);
            }
            Ok(event) if changes_content(&event.kind) => {
                for p in event.paths {
                    let _ = tx.send(Change::Path(p));
                }
            }
            Ok(_) => {}
            Err(e) => tracing::warn!("folder watch: {e}"),
        })?;
    watcher.watch(&dir, RecursiveMode::NonRecursive)?;
    std::thread::Builder::new()
        .name("scenic-watch".into())
        .spawn(move || {
            // Files changed between start-up's loading and the watch's start.
            rescan(&manager, &dir);
            while let Ok(first) = rx.recv() {
                let mut batch = BTreeSet::new();
                let mut full = false;
                let mut add = |c: Change| match c {
                    // The same key as start-up's (`dir` joined with the entry's name), whatever
                    // form the event's path has.
                    Change::Path(p) => {
                        if let Some(n) = p.file_name() {
                            batch.insert(dir.join(n));
                        }
                    }
                    Change::Rescan => full = true,
                };
                add(first);
                while let Ok(c) = rx.recv_timeout(SETTLE) {
                    add(c);
                }
                if full {
                    rescan(&manager, &dir);
                    continue;
                }
                apply_all(&manager, batch.iter(), Trigger::Change);
            }
        })
        .map_err(|e| notify::Error::generic(&e.to_string()))?;
    Ok(watcher)
}
