//! Scenic on Kubernetes (`decisions.md` §8, `nussknacker-lite.md` §6): each scenario version
//! as its own objects ([`manifests`]), named and labelled by [`names`], so that versions run side
//! by side and the routing gateway (`scenic gateway`) splits traffic between them.

pub mod manager;
pub mod manifests;
pub mod names;
pub mod status;

pub use manifests::{objects, to_yaml, ManifestError, Object, Options, ScenarioInfo};
