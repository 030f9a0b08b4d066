import Foundation
import RunbookActions
import RunbookLanguage
import RunbookTestPeers
import Testing

@Suite("k8s.logs, k8s.rollout_status")
struct KubernetesLogsAndRolloutTests {
    @Test func onePodsPreviousLogWithTailAndSince() async throws {
        try await withKubernetes { peer in
            let action = KubernetesLogsAction(sources: sources(try peer.writeKubeconfig()))
            let outputs = try await action.execute(
                kubernetesContext([
                    "namespace": "backend", "pod": "my-pod", "previous": true, "tail": 2, "since": "2m",
                ]))
            #expect(outputs["lines"] == ["connecting to db", "panic: db down"])
            #expect(outputs["text"] == "connecting to db\npanic: db down")
            let log = try #require(try peer.resourceRequests().last)
            #expect(log.path == "/api/v1/namespaces/backend/pods/my-pod/log")
            #expect(log.query == [
                "container": ["main"], "previous": ["true"], "sinceSeconds": ["120"], "tailLines": ["2"],
            ])
            let current = try await action.execute(
                kubernetesContext(["namespace": "backend", "pod": "my-pod", "container": "main"]))
            #expect(current["lines"] == ["starting"])
        }
    }

    @Test func aSelectorPrefixesEachPodsLines() async throws {
        try await withKubernetes { peer in
            let action = KubernetesLogsAction(sources: sources(try peer.writeKubeconfig(namespace: "backend")))
            let current = try await action.execute(kubernetesContext(["selector": "app.kubernetes.io/name=worker"]))
            #expect(current["lines"] == [
                "[pod/my-pod/main] starting", "[pod/oomkilled-pod/oomkilled] stress: info: [1] dispatching hogs",
            ])
            // The OOMKilled fixture's pod has no previous log here: it is noted, the other pod's lines still come.
            let previous = try await action.execute(
                kubernetesContext(["selector": "app.kubernetes.io/name=worker", "previous": true, "tail": 1]))
            #expect(previous["lines"] == [
                "[pod/my-pod/main] panic: db down",
                .string(
                    "[pod/oomkilled-pod/oomkilled] (no log: previous terminated container \"oomkilled\" in pod "
                        + "\"oomkilled-pod\" not found)"),
            ])
            let none = await outcome(of: action, kubernetesContext(["selector": "app=ghost"]))
            #expect(none.failure?.message == "k8s.logs: no pod matches 'app=ghost' in namespace 'backend'")
        }
    }

    @Test func rolloutStatusWaitsForTheRestartedRollout() async throws {
        var state = try shopState()
        state.rolloutPolls = 3
        try await withKubernetes(state) { peer in
            let kubeconfig = try peer.writeKubeconfig(namespace: "shop")
            _ = try await KubernetesRestartAction(sources: sources(kubeconfig)).execute(
                kubernetesContext(["deployment": "web"]))
            let recorder = LineRecorder()
            let status = KubernetesRolloutStatusAction(sources: sources(kubeconfig), pollInterval: .milliseconds(50))
            let outputs = try await status.execute(
                kubernetesContext(["deployment": "web"], emit: { recorder.record($0) }))
            #expect(outputs == ["updated": 2, "available": 2])
            #expect(recorder.texts(.stdout).contains("waiting for the deployment spec update to be observed"))
            let reads = try peer.resourceRequests().filter { $0.method == "GET" && $0.path.hasSuffix("/web") }
            #expect(reads.count >= 4)
        }
    }

    @Test func progressDeadlineExceededFails() async throws {
        var state = KubernetesPeer.State()
        try state.add(try KubernetesPeer.fixture("k8s-deployment-progress-deadline-exceeded-is-healthy.yaml"))
        try await withKubernetes(state) { peer in
            let action = KubernetesRolloutStatusAction(sources: sources(try peer.writeKubeconfig()))
            let result = await outcome(
                of: action, kubernetesContext(["namespace": "mission-control", "deployment": "bad-image-deployment"]))
            let failure = try #require(result.failure)
            #expect(failure.message == "deployment mission-control/bad-image-deployment exceeded its progress "
                + "deadline: ReplicaSet \"bad-image-deployment-657df9457\" has timed out progressing.; check the new "
                + "pods' events and logs")
            #expect(failure.outputs == ["updated": 1, "available": 0])
        }
    }

    @Test func rolloutStatusStopsWhenCancelled() async throws {
        let status = """
            {"observedGeneration":1,"replicas":2,"updatedReplicas":1,"availableReplicas":1,
             "conditions":[{"type":"Progressing","status":"True","reason":"ReplicaSetUpdated"}]}
            """
        var state = KubernetesPeer.State()
        try state.addDeployment("web", namespace: "shop", images: ["web:1"], status: status)
        try await withKubernetes(state) { peer in
            let action = KubernetesRolloutStatusAction(
                sources: sources(try peer.writeKubeconfig()), pollInterval: .milliseconds(50))
            let task = Task { await outcome(of: action, kubernetesContext(["namespace": "shop", "deployment": "web"])) }
            #expect(await eventually(within: .seconds(60)) { ((try? peer.resourceRequests().count) ?? 0) >= 2 })
            let cancelled = ContinuousClock.now
            task.cancel()
            let result = await task.value
            #expect(result.failure?.message == "cancelled")
            // Well below the 30-second request timeout, even on a loaded machine.
            #expect(ContinuousClock.now - cancelled < .seconds(20))
        }
    }
}
