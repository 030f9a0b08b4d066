import RunbookLanguage

/// `k8s.pods`: the pods matching a label selector, with phase, readiness, restarts, CrashLoopBackOff and OOMKilled.
public struct KubernetesPodsAction: Action {
    /// Where the kubeconfig and credentials come from.
    public var sources: KubernetesCredentialSources

    /// Creates the action; by default it reads the process's `KUBECONFIG` (or `~/.kube/config`).
    public init(sources: KubernetesCredentialSources = KubernetesCredentialSources()) {
        self.sources = sources
    }

    /// The catalog's `k8s.pods` spec.
    public var spec: ActionSpec { .builtin("k8s.pods") }

    /// Lists the pods; outputs `total`, `ready`, `crashloop`, `oom_killed`, `restarts` and `pods`.
    /// - Throws: `ActionFailure` when the API cannot be reached or refuses.
    public func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value] {
        let selector = try context.requiredString("selector", action: "k8s.pods")
        let client = try KubernetesClient(context, sources: sources)
        let list = try await client.json(.pods(client.namespace(context), selector: selector))
        guard case .array(let items) = list.member("items") else { return Self.outputs([]) }
        return Self.outputs(items.map(PodStatusSummary.init))
    }

    private static func outputs(_ pods: [PodStatusSummary]) -> [String: Value] {
        [
            "total": .number(Double(pods.count)),
            "ready": .number(Double(pods.count { $0.ready })),
            "crashloop": .number(Double(pods.count { $0.crashLooping })),
            "oom_killed": .number(Double(pods.count { $0.oomKilled })),
            "restarts": .number(Double(pods.reduce(0) { $0 + $1.restarts })),
            "pods": .array(pods.map(\.value)),
        ]
    }
}
