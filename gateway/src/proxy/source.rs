//! Where the routing table comes from, behind one trait: a watched routes file (`--routes`),
//! for machines without Kubernetes and for tests; Kubernetes discovery is the other source.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use super::table::{self, RoutesFile};
use super::Gateway;

/// A source of routes: it publishes each new table to the gateway until the process ends.
pub trait RouteSource: Send + 'static {
    /// Starts publishing (on threads or tasks of its own); the first table may come later.
    fn start(self: Box<Self>, gateway: Arc<Gateway>) -> Result<(), String>;
}

/// A routes file, read at start and again on every change.
pub struct FileSource {
    pub path: PathBuf,
}

/// How long a burst of file events settles before the file is read again (an editor's save
/// is several events).
const SETTLE: Duration = Duration::from_millis(50);
/// A backstop: the file is also compared every this often, for file systems whose events are
/// lost (network mounts, some container volumes).
const POLL: Duration = Duration::from_secs(2);

/// Reads and checks the routes file; the error names the file and each problem's pointer.
pub fn read(path: &Path) -> Result<(String, RoutesFile), String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if meta.len() > table::MAX_ROUTES_BYTES as u64 {
        return Err(format!(
            "{}: larger than {} bytes",
            path.display(),
            table::MAX_ROUTES_BYTES
        ));
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    match table::parse(&text) {
        Ok(file) => Ok((text, file)),
        Err(errors) => {
            let lines: Vec<String> = errors
                .iter()
                .map(|e| format!("  {}: {e}", path.display()))
                .collect();
            Err(format!("invalid routes:\n{}", lines.join("\n")))
        }
    }
}

impl RouteSource for FileSource {
    fn start(self: Box<Self>, gateway: Arc<Gateway>) -> Result<(), String> {
        use notify::Watcher;
        let (_, first) = read(&self.path)?;
        gateway.publish(&first);
        let path = std::fs::canonicalize(&self.path).unwrap_or(self.path.clone());
        let dir = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let name = path.file_name().map(|n| n.to_os_string());
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                if let Ok(e) = event {
                    if e.need_rescan() || e.paths.iter().any(|p| p.file_name() == name.as_deref()) {
                        let _ = tx.send(());
                    }
                }
            })
            .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
        watcher
            .watch(&dir, notify::RecursiveMode::NonRecursive)
            .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
        std::thread::Builder::new()
            .name("scenic-routes".into())
            .spawn(move || {
                // The watcher lives as long as this thread.
                let _watcher = watcher;
                let mut last = std::fs::read_to_string(&path).unwrap_or_default();
                loop {
                    match rx.recv_timeout(POLL) {
                        Ok(()) => while rx.recv_timeout(SETTLE).is_ok() {},
                        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
                    }
                    match read(&path) {
                        Ok((text, _)) if text == last => {}
                        Ok((text, file)) => {
                            gateway.publish(&file);
                            last = text;
                        }
                        // A half-written or broken file keeps the routes in force.
                        Err(e) => {
                            let text = std::fs::read_to_string(&path).unwrap_or_default();
                            if text != last {
                                tracing::warn!("keeping the current routes: {e}");
                                last = text;
                            }
                        }
                    }
                }
            })
            .map_err(|e| format!("cannot start the routes watch: {e}"))?;
        Ok(())
    }
}
