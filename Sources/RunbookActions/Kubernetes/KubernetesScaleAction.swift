import Foundation
import RunbookLanguage

/// `k8s.scale`: sets a Deployment's replicas through the scale subresource, with the merge patch `kubectl scale`
/// sends; `by: +N` reads the current count and patches with its resourceVersion, retrying on a conflict.
public struct KubernetesScaleAction: Action {
    /// Where the kubeconfig and credentials come from.
    public var sources: KubernetesCredentialSources

    /// How often a `by:` change is retried when another writer changed the scale in between.
    static let conflictRetries = 5

    /// Creates the action; by default it reads the process's `KUBECONFIG` (or `~/.kube/config`).
    public init(sources: KubernetesCredentialSources = KubernetesCredentialSources()) {
        self.sources = sources
    }

    /// The catalog's `k8s.scale` spec.
    public var spec: ActionSpec { .builtin("k8s.scale") }

    /// The target it changes, locked while it acts.
    public func lock(_ context: ActionContext) -> String? { TargetName.kubernetesDeployment(context) }

    /// Scales; outputs `previous` and `replicas`.
    /// - Throws: `ActionFailure` for a bad count, or when the API cannot be reached or refuses.
    public func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value] {
        let deployment = try DeploymentReference(context, sources: sources, action: "k8s.scale")
        let change = try Change(context)
        let client = deployment.client
        for _ in 0...Self.conflictRetries {
            let scale = try await client.json(.deploymentScale(deployment.namespace, deployment.name))
            let previous = Int(scale.member("spec").member("replicas").numericValue ?? 0)
            let body: Value
            let wanted: Int
            switch change {
            case .to(let replicas):
                wanted = replicas
                body = ["spec": ["replicas": .number(Double(replicas))]]
            case .by(let delta):
                wanted = previous + delta
                guard wanted >= 0 else {
                    throw ActionFailure(
                        "k8s.scale: \(deployment.qualifiedName) has \(previous) replicas; changing by \(delta) "
                            + "would go below 0")
                }
                // The resourceVersion makes the API server refuse the patch if the count changed since it was read.
                body = [
                    "metadata": ["resourceVersion": scale.member("metadata").member("resourceVersion")],
                    "spec": ["replicas": .number(Double(wanted))],
                ]
            }
            let request = KubernetesRequest.patchDeploymentScale(deployment.namespace, deployment.name, body)
            let response = try await client.send(request, accepting: [409])
            if response.status == 409 { continue }
            let updated = try client.decode(response, request)
            let replicas = updated.member("spec").member("replicas").numericValue.map(Int.init) ?? wanted
            return ["previous": .number(Double(previous)), "replicas": .number(Double(replicas))]
        }
        throw ActionFailure(
            "\(client.connection.endpointDescription): the scale of \(deployment.qualifiedName) kept changing while "
                + "it was being set (409 Conflict \(Self.conflictRetries + 1) times); check what else scales it (an "
                + "autoscaler, another run)")
    }

    /// `deployment backend/web: replicas 2 → 4 (2 ready)`.
    public func preview(_ context: ActionContext) async throws(ActionFailure) -> [String] {
        let deployment = try DeploymentReference(context, sources: sources, action: "k8s.scale")
        let change = try Change(context)
        let scale = try await deployment.client.json(.deploymentScale(deployment.namespace, deployment.name))
        let current = Int(scale.member("spec").member("replicas").numericValue ?? 0)
        let running = Int(scale.member("status").member("replicas").numericValue ?? 0)
        let wanted: Int
        switch change {
        case .to(let replicas): wanted = replicas
        case .by(let delta): wanted = current + delta
        }
        return ["deployment \(deployment.qualifiedName): replicas \(current) → \(wanted) (\(running) running now)"]
    }

    /// The count a step asks for.
    private enum Change {
        case to(Int)
        case by(Int)

        init(_ context: ActionContext) throws(ActionFailure) {
            if let replicas = context.parameters["replicas"], replicas != .null {
                guard let number = replicas.numericValue, number >= 0, number.rounded() == number else {
                    throw ActionFailure("k8s.scale: 'replicas' must be a whole number of at least 0, not \(replicas)")
                }
                self = .to(Int(number))
            } else if let by = context.parameters["by"], by != .null {
                let delta: Int?
                switch by {
                case .number(let number) where number.rounded() == number: delta = Int(number)
                case .string(let text): delta = Int(text.trimmingCharacters(in: .whitespaces))
                default: delta = nil
                }
                guard let delta else {
                    throw ActionFailure("k8s.scale: 'by' must be a change such as '+2' or '-1', not \(by)")
                }
                self = .by(delta)
            } else {
                throw ActionFailure("k8s.scale: give 'replicas' or 'by'")
            }
        }
    }
}
