//! A scenario version's state from its Deployment and pods, computed as
//! `kubectl rollout status` does (`k8s-gateway.md` §4.6): the new generation observed first,
//! then the progress deadline, updated replicas, old replicas gone, and availability. It reports
//! the reference's states (`nussknacker-lite.md` §6.6) with the reason. Pure: tested on
//! recorded objects at each stage of a rollout.

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Pod;

/// The reference's states of a deployed scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Every desired replica is updated and available, and no old one is left.
    Running,
    /// A rollout is under way (or its spec is not observed yet).
    DuringDeploy,
    /// A container is in CrashLoopBackOff.
    Restarting,
    /// The rollout is past its progress deadline, or Kubernetes reports a replica failure.
    Failed,
}

impl State {
    /// As the reference names it.
    pub fn name(self) -> &'static str {
        match self {
            State::Running => "RUNNING",
            State::DuringDeploy => "DURING_DEPLOY",
            State::Restarting => "RESTARTING",
            State::Failed => "FAILED",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub state: State,
    /// Why, in `kubectl rollout status`'s words where it has them.
    pub reason: String,
}

fn status(state: State, reason: impl Into<String>) -> Status {
    Status {
        state,
        reason: reason.into(),
    }
}

/// The state of `deployment`, whose pods are `pods`.
pub fn of_deployment(deployment: &Deployment, pods: &[Pod]) -> Status {
    let name = deployment.metadata.name.as_deref().unwrap_or("?");
    let Some(s) = &deployment.status else {
        return status(State::DuringDeploy, "no status yet");
    };
    let generation = deployment.metadata.generation.unwrap_or(0);
    if generation > s.observed_generation.unwrap_or(0) {
        return status(
            State::DuringDeploy,
            "Waiting for deployment spec update to be observed",
        );
    }
    let conditions = s.conditions.as_deref().unwrap_or_default();
    if let Some(c) = conditions.iter().find(|c| {
        c.type_ == "Progressing" && c.reason.as_deref() == Some("ProgressDeadlineExceeded")
    }) {
        return status(
            State::Failed,
            format!(
                "deployment \"{name}\" exceeded its progress deadline{}",
                c.message
                    .as_deref()
                    .map(|m| format!(": {m}"))
                    .unwrap_or_default()
            ),
        );
    }
    if let Some(c) = conditions
        .iter()
        .find(|c| c.type_ == "ReplicaFailure" && c.status == "True")
    {
        return status(
            State::Failed,
            format!(
                "There are some problems with the scenario: {}",
                c.message.as_deref().unwrap_or("replica failure")
            ),
        );
    }
    let crash = pods.iter().find_map(|p| {
        p.status
            .as_ref()?
            .container_statuses
            .as_deref()?
            .iter()
            .find_map(|c| {
                let waiting = c.state.as_ref()?.waiting.as_ref()?;
                (waiting.reason.as_deref() == Some("CrashLoopBackOff")).then(|| {
                    format!(
                        "pod {} restarts ({} restarts){}",
                        p.metadata.name.as_deref().unwrap_or("?"),
                        c.restart_count,
                        waiting
                            .message
                            .as_deref()
                            .map(|m| format!(": {m}"))
                            .unwrap_or_default()
                    )
                })
            })
    });
    if let Some(why) = crash {
        return status(State::Restarting, why);
    }
    let desired = deployment
        .spec
        .as_ref()
        .and_then(|s| s.replicas)
        .unwrap_or(1);
    let updated = s.updated_replicas.unwrap_or(0);
    let replicas = s.replicas.unwrap_or(0);
    let available = s.available_replicas.unwrap_or(0);
    if updated < desired {
        return status(
            State::DuringDeploy,
            format!("Waiting for deployment \"{name}\" rollout to finish: {updated} out of {desired} new replicas have been updated..."),
        );
    }
    if replicas > updated {
        return status(
            State::DuringDeploy,
            format!(
                "Waiting for deployment \"{name}\" rollout to finish: {} old replicas are pending termination...",
                replicas - updated
            ),
        );
    }
    if available < updated {
        return status(
            State::DuringDeploy,
            format!("Waiting for deployment \"{name}\" rollout to finish: {available} of {updated} updated replicas are available..."),
        );
    }
    status(
        State::Running,
        format!("deployment \"{name}\" successfully rolled out"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A Deployment as the API server returns it, at one stage of a rollout.
    fn deployment(generation: i64, status: serde_json::Value) -> Deployment {
        serde_json::from_value(json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "scenic-loan-eb43c914fc", "namespace": "scenarios",
                "generation": generation, "resourceVersion": "4711"},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"scenic.io/version": "eb43c914fce9bd84"}},
                "template": {"metadata": {"labels": {"scenic.io/version": "eb43c914fce9bd84"}},
                    "spec": {"containers": [{"name": "runtime", "image": "scenic:0.1.0"}]}}},
            "status": status
        }))
        .expect("a Deployment")
    }

    fn progressing(reason: &str) -> serde_json::Value {
        json!({"type": "Progressing", "status": if reason == "ProgressDeadlineExceeded" { "False" } else { "True" },
            "reason": reason, "message": "ReplicaSet \"scenic-loan-eb43c914fc-7d9f\" is progressing."})
    }

    #[test]
    fn each_rollout_stage_maps_as_kubectl_rollout_status_does() {
        let cases = [
            // A new spec the controller has not seen yet, though the old status looks done.
            (
                deployment(
                    3,
                    json!({"observedGeneration": 2, "replicas": 2, "updatedReplicas": 2,
                    "availableReplicas": 2, "conditions": [progressing("NewReplicaSetAvailable")]}),
                ),
                State::DuringDeploy,
                "spec update to be observed",
            ),
            (
                deployment(
                    3,
                    json!({"observedGeneration": 3, "replicas": 2, "updatedReplicas": 1,
                    "availableReplicas": 1, "conditions": [progressing("ReplicaSetUpdated")]}),
                ),
                State::DuringDeploy,
                "1 out of 2 new replicas",
            ),
            (
                deployment(
                    3,
                    json!({"observedGeneration": 3, "replicas": 3, "updatedReplicas": 2,
                    "availableReplicas": 2, "conditions": [progressing("ReplicaSetUpdated")]}),
                ),
                State::DuringDeploy,
                "1 old replicas are pending termination",
            ),
            (
                deployment(
                    3,
                    json!({"observedGeneration": 3, "replicas": 2, "updatedReplicas": 2,
                    "availableReplicas": 1, "conditions": [progressing("ReplicaSetUpdated")]}),
                ),
                State::DuringDeploy,
                "1 of 2 updated replicas are available",
            ),
            (
                deployment(
                    3,
                    json!({"observedGeneration": 3, "replicas": 2, "updatedReplicas": 1,
                    "availableReplicas": 1, "conditions": [progressing("ProgressDeadlineExceeded")]}),
                ),
                State::Failed,
                "exceeded its progress deadline",
            ),
            (
                deployment(
                    3,
                    json!({"observedGeneration": 3, "replicas": 2, "updatedReplicas": 2,
                    "availableReplicas": 1, "conditions": [progressing("ReplicaSetUpdated"),
                    {"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate",
                     "message": "pods \"x\" is forbidden: exceeded quota"}]}),
                ),
                State::Failed,
                "exceeded quota",
            ),
            (
                deployment(
                    3,
                    json!({"observedGeneration": 3, "replicas": 2, "updatedReplicas": 2,
                    "availableReplicas": 2, "conditions": [progressing("NewReplicaSetAvailable")]}),
                ),
                State::Running,
                "successfully rolled out",
            ),
            (
                serde_json::from_value(json!({"apiVersion": "apps/v1", "kind": "Deployment",
                    "metadata": {"name": "new", "generation": 1},
                    "spec": {"selector": {}, "template": {}}}))
                .expect("a Deployment"),
                State::DuringDeploy,
                "no status yet",
            ),
        ];
        for (d, state, reason) in cases {
            let s = of_deployment(&d, &[]);
            assert_eq!(s.state, state, "{s:?}");
            assert!(s.reason.contains(reason), "{s:?} should say {reason}");
        }
    }

    #[test]
    fn a_crash_looping_pod_is_restarting() {
        let d = deployment(
            2,
            json!({"observedGeneration": 2, "replicas": 2, "updatedReplicas": 2,
            "availableReplicas": 1, "conditions": [progressing("NewReplicaSetAvailable")]}),
        );
        let pod: Pod = serde_json::from_value(json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "scenic-loan-eb43c914fc-7d9f-abcde"},
            "status": {"containerStatuses": [{"name": "runtime", "image": "scenic:0.1.0",
                "imageID": "", "ready": false, "restartCount": 4,
                "state": {"waiting": {"reason": "CrashLoopBackOff",
                    "message": "back-off 40s restarting failed container"}}}]}}))
        .expect("a Pod");
        let s = of_deployment(&d, &[pod]);
        assert_eq!(s.state, State::Restarting);
        assert!(s.reason.contains("4 restarts"), "{s:?}");
        assert_eq!(s.state.name(), "RESTARTING");
    }
}
