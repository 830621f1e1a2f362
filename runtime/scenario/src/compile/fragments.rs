//! Fragments (`nussknacker-lite.md` §1.7): scenario pieces stored in their own files and used
//! through `FragmentInput` nodes. The builder inlines them, prefixing their node ids.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::model::{parse_scenario, ScenarioFile};

/// Where fragment definitions come from.
pub trait FragmentSource: Send + Sync {
    /// The fragment named `id`, or an error saying why it cannot be had.
    fn fragment(&self, id: &str) -> Result<ScenarioFile, String>;
}

/// No fragments available: any use is an error naming the fragment.
pub struct NoFragments;

impl FragmentSource for NoFragments {
    fn fragment(&self, id: &str) -> Result<ScenarioFile, String> {
        Err(format!(
            "Fragment '{id}' not found (no fragments folder configured)"
        ))
    }
}

/// Fragments read from `<dir>/<id>.json`. Messages name the file relative to the folder only:
/// they reach HTTP clients, which must not learn server paths.
pub struct DirFragments(pub PathBuf);

/// The largest fragment file read (the management API's limit for a scenario).
const MAX_FRAGMENT_BYTES: u64 = 16 * 1024 * 1024;

impl FragmentSource for DirFragments {
    fn fragment(&self, id: &str) -> Result<ScenarioFile, String> {
        if id.contains(['/', '\\']) || id.starts_with('.') {
            return Err(format!("Invalid fragment name '{id}'"));
        }
        let file = format!("{id}.json");
        let text = read_regular(&self.0.join(&file)).map_err(|e| {
            format!("Fragment '{id}' not found: cannot read {file} in the fragments folder: {e}")
        })?;
        parse_scenario(&text)
            .map_err(|e| format!("Fragment '{id}' ({file} in the fragments folder): {e}"))
    }
}

/// Reads a regular file of at most [`MAX_FRAGMENT_BYTES`]: a FIFO would block the compiler.
fn read_regular(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    if meta.len() > MAX_FRAGMENT_BYTES {
        return Err(format!("larger than {MAX_FRAGMENT_BYTES} bytes"));
    }
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FRAGMENT_BYTES).read_to_string(&mut text))
        .map_err(|e| e.to_string())?;
    Ok(text)
}

/// Makes a fragment source from a folder (absent folder: no fragments).
pub fn resolve_fragments(dir: Option<PathBuf>) -> Box<dyn FragmentSource> {
    match dir {
        Some(d) => Box::new(DirFragments(d)),
        None => Box::new(NoFragments),
    }
}
