//! Fragments (`nussknacker-lite.md` §1.7): scenario pieces stored in their own files and used
//! through `FragmentInput` nodes. The builder inlines them, prefixing their node ids.

use std::path::PathBuf;

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

/// Fragments read from `<dir>/<id>.json`.
pub struct DirFragments(pub PathBuf);

impl FragmentSource for DirFragments {
    fn fragment(&self, id: &str) -> Result<ScenarioFile, String> {
        if id.contains(['/', '\\']) || id.starts_with('.') {
            return Err(format!("Invalid fragment name '{id}'"));
        }
        let path = self.0.join(format!("{id}.json"));
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("Fragment '{id}' not found at {}: {e}", path.display()))?;
        parse_scenario(&text).map_err(|e| format!("Fragment '{id}' ({}): {e}", path.display()))
    }
}

/// Makes a fragment source from a folder (absent folder: no fragments).
pub fn resolve_fragments(dir: Option<PathBuf>) -> Box<dyn FragmentSource> {
    match dir {
        Some(d) => Box::new(DirFragments(d)),
        None => Box::new(NoFragments),
    }
}
