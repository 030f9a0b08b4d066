import RunbookLanguage

/// `k8s.rollback`: back to the previous (or a given) revision, as `kubectl rollout undo` does it: the revision's
/// ReplicaSet template (without `pod-template-hash`) and annotations restored with one JSON patch.
public struct KubernetesRollbackAction: Action {
    /// Where the kubeconfig and credentials come from.
    public var sources: KubernetesCredentialSources

    /// Creates the action; by default it reads the process's `KUBECONFIG` (or `~/.kube/config`).
    public init(sources: KubernetesCredentialSources = KubernetesCredentialSources()) {
        self.sources = sources
    }

    /// The catalog's `k8s.rollback` spec.
    public var spec: ActionSpec { .builtin("k8s.rollback") }

    /// The target it changes, locked while it acts.
    public func lock(_ context: ActionContext) -> String? { TargetName.kubernetesDeployment(context) }

    /// Rolls back; outputs `from_revision` and `to_revision`. When the Deployment already runs that revision's
    /// template nothing is sent, as kubectl skips it.
    /// - Throws: `ActionFailure` when there is no such revision, the Deployment is paused, or the API refuses.
    public func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value] {
        let deployment = try DeploymentReference(context, sources: sources, action: "k8s.rollback")
        let plan = try await RollbackPlan.make(deployment, toRevision: try Self.toRevision(context))
        if !plan.matchesCurrent {
            _ = try await deployment.client.json(
                .patchDeployment(
                    deployment.namespace, deployment.name, plan.patch, contentType: "application/json-patch+json"))
        }
        return ["from_revision": .number(Double(plan.fromRevision)), "to_revision": .number(Double(plan.toRevision))]
    }

    /// `deployment backend/web: revision 3 → 2`, and the images before and after.
    public func preview(_ context: ActionContext) async throws(ActionFailure) -> [String] {
        let deployment = try DeploymentReference(context, sources: sources, action: "k8s.rollback")
        let plan = try await RollbackPlan.make(deployment, toRevision: try Self.toRevision(context))
        let before = DeploymentReference.images(plan.currentTemplate)
        let after = DeploymentReference.images(plan.template)
        var lines = ["deployment \(deployment.qualifiedName): revision \(plan.fromRevision) → \(plan.toRevision)"]
        if plan.matchesCurrent {
            lines.append("already runs revision \(plan.toRevision)'s template: nothing would change")
        } else {
            lines.append(before == after ? "images unchanged: \(after)" : "images: \(before) → \(after)")
        }
        return lines
    }

    private static func toRevision(_ context: ActionContext) throws(ActionFailure) -> Int? {
        guard let value = context.parameters["to_revision"], value != .null else { return nil }
        guard let revision = value.integer, revision > 0 else {
            throw ActionFailure("k8s.rollback: 'to_revision' must be a revision number above 0, not \(value)")
        }
        return revision
    }
}
