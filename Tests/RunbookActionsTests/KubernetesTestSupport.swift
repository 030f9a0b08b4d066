import Foundation
import RunbookActions
import RunbookLanguage
import RunbookTestPeers

/// A fake cluster with the Deployment `web` in `shop` (images web:1, web:2, web:3; 2 ready pods of revision 3) and
/// the Deployment `worker` in `backend` whose pods are the CrashLoopBackOff and OOMKilled fixtures.
func shopState() throws -> KubernetesPeer.State {
    var state = KubernetesPeer.State()
    try state.addDeployment("web", namespace: "shop", images: ["web:1", "web:2", "web:3"])
    let crashloop = try KubernetesPeer.fixture("k8s-pod-crashloopbackoff-is-healthy.yaml")
    let oomKilled = try KubernetesPeer.fixture("k8s-pod-oomkilled-lastState-is-healthy.yaml")
    try state.addDeployment(
        "worker", namespace: "backend", labelKey: "app.kubernetes.io/name", images: ["worker:7"],
        pods: [crashloop, oomKilled])
    state.setLog(
        namespace: "backend", pod: "my-pod", container: "main",
        current: [.init(age: 2, "starting")],
        previous: [.init(age: 300, "boot"), .init(age: 90, "connecting to db"), .init(age: 30, "panic: db down")])
    state.setLog(
        namespace: "backend", pod: "oomkilled-pod", container: "oomkilled",
        current: [.init(age: 5, "stress: info: [1] dispatching hogs")])
    return state
}

/// Runs `body` with a started peer holding `state` (the shop by default), stopped afterwards.
func withKubernetes<T>(
    _ state: KubernetesPeer.State? = nil, _ body: (KubernetesPeer) async throws -> T
) async throws -> T {
    let peer = try await KubernetesPeer.start(state ?? shopState())
    defer { peer.stop() }
    return try await body(peer)
}

/// Credential sources that read only `kubeconfig` (a `:`-separated list) and find no service account.
func sources(_ kubeconfig: String, extra: [String: String] = [:]) -> KubernetesCredentialSources {
    KubernetesCredentialSources(
        environment: ["KUBECONFIG": kubeconfig, "HOME": "/nonexistent"].merging(extra) { $1 },
        serviceAccountDirectory: "/nonexistent")
}

/// A context for a `k8s.*` step in the environment `prod`, with its kubernetes settings.
func kubernetesContext(
    _ parameters: [String: Value], context: String? = nil, namespace: String? = nil,
    emit: @escaping @Sendable (OutputLine) -> Void = { _ in }
) -> ActionContext {
    ActionContext(
        parameters: parameters, stepID: "step-1", runID: "r-test",
        workingDirectory: FileManager.default.temporaryDirectory.path,
        target: ActionTarget(
            environmentName: "prod", kubernetes: KubernetesSettings(context: context, namespace: namespace)),
        emit: emit)
}

/// The JSON body of a recorded request, parsed.
func body(_ request: KubernetesPeer.Request) throws -> Value {
    try Value(jsonString: request.body)
}

/// A JSON object from the peer's snapshot, as a `Value`.
func snapshot(_ peer: KubernetesPeer, _ kind: String, _ namespace: String, _ name: String) throws -> Value {
    let object = try peer.object(kind, namespace, name) ?? [:]
    return try Value(jsonString: String(decoding: JSONSerialization.data(withJSONObject: object), as: UTF8.self))
}

extension Value {
    /// `value["a", "b"]`: nested members.
    subscript(_ path: String...) -> Value {
        path.reduce(self) { $0.member($1) }
    }
}
