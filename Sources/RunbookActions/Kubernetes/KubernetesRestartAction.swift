import Foundation
import RunbookLanguage

/// `k8s.restart`: a rolling restart, with the strategic merge patch `kubectl rollout restart` sends (the pod
/// template's `kubectl.kubernetes.io/restartedAt` annotation set to the current time).
public struct KubernetesRestartAction: Action {
    /// Where the kubeconfig and credentials come from.
    public var sources: KubernetesCredentialSources

    /// The pod-template annotation whose change makes the Deployment replace its pods.
    static let restartedAtAnnotation = "kubectl.kubernetes.io/restartedAt"

    /// Creates the action; by default it reads the process's `KUBECONFIG` (or `~/.kube/config`).
    public init(sources: KubernetesCredentialSources = KubernetesCredentialSources()) {
        self.sources = sources
    }

    /// The catalog's `k8s.restart` spec.
    public var spec: ActionSpec { .builtin("k8s.restart") }

    /// The target it changes, locked while it acts.
    public func lock(_ context: ActionContext) -> String? { TargetName.kubernetesDeployment(context) }

    /// Restarts; outputs `restarted_at`.
    /// - Throws: `ActionFailure` when the Deployment is paused or missing, or the API cannot be reached or refuses.
    public func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value] {
        let deployment = try DeploymentReference(context, sources: sources, action: "k8s.restart")
        let current = try await deployment.fetch()
        if current.member("spec").member("paused").isTruthy {
            throw ActionFailure(
                "k8s.restart: deployment \(deployment.qualifiedName) is paused and cannot be restarted; resume it "
                    + "first (kubectl rollout resume)")
        }
        let restartedAt = Self.timestamp(Date())
        let patch: Value = [
            "spec": ["template": ["metadata": ["annotations": [Self.restartedAtAnnotation: .string(restartedAt)]]]]
        ]
        _ = try await deployment.client.json(
            .patchDeployment(
                deployment.namespace, deployment.name, patch, contentType: "application/strategic-merge-patch+json",
                query: ["fieldManager": "kubectl-rollout"]))
        return ["restarted_at": .string(restartedAt)]
    }

    /// `deployment backend/web: 3 replicas (1 ready) will be replaced …; last restarted …`.
    public func preview(_ context: ActionContext) async throws(ActionFailure) -> [String] {
        let deployment = try DeploymentReference(context, sources: sources, action: "k8s.restart")
        let current = try await deployment.fetch()
        let replicas = Int(current.member("spec").member("replicas").numericValue ?? 1)
        let ready = Int(current.member("status").member("readyReplicas").numericValue ?? 0)
        let template = current.member("spec").member("template")
        var lines = [
            "deployment \(deployment.qualifiedName): \(replicas) replicas (\(ready) ready) will be replaced by new "
                + "pods of the same template (\(DeploymentReference.images(template)))"
        ]
        if let last = template.member("metadata").member("annotations").member(Self.restartedAtAnnotation).text {
            lines.append("last restarted at \(last)")
        }
        return lines
    }

    /// RFC 3339 in the local time zone, to the second, as Go's `time.Now().Format(time.RFC3339)` writes it.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = .current
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
