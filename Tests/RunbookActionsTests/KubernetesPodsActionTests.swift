import Foundation
import RunbookActions
import RunbookLanguage
import RunbookTestPeers
import Testing

@Suite("k8s.pods")
struct KubernetesPodsActionTests {
    @Test func crashLoopAndOOMKilledFixtures() async throws {
        try await withKubernetes { peer in
            let action = KubernetesPodsAction(sources: sources(try peer.writeKubeconfig()))
            let outputs = try await action.execute(
                kubernetesContext(["namespace": "backend", "selector": "app.kubernetes.io/name=worker"]))
            #expect(outputs["total"] == 2)
            #expect(outputs["ready"] == 0)
            #expect(outputs["crashloop"] == 1)
            #expect(outputs["oom_killed"] == 1)
            #expect(outputs["restarts"] == 12)
            guard case .array(let pods)? = outputs["pods"] else { Issue.record("no pods list"); return }
            let crashing = try #require(pods.first { $0["name"] == "my-pod" })
            #expect(crashing["phase"] == "Running")
            #expect(crashing["ready"] == false)
            #expect(crashing["restarts"] == 3)
            #expect(crashing["crashloop"] == true)
            #expect(crashing["containers"].element(0)["reason"] == "CrashLoopBackOff")
            #expect(crashing["containers"].element(0)["last_terminated_reason"] == "Error")
            let oom = try #require(pods.first { $0["name"] == "oomkilled-pod" })
            #expect(oom["oom_killed"] == true)
            #expect(oom["crashloop"] == false)
            #expect(oom["containers"].element(0)["state"] == "running")

            let request = try #require(try peer.resourceRequests().last)
            #expect(request.method == "GET")
            #expect(request.path == "/api/v1/namespaces/backend/pods")
            #expect(request.query == ["labelSelector": ["app.kubernetes.io/name=worker"]])
        }
    }

    @Test func readyPodsAndSetBasedSelectors() async throws {
        try await withKubernetes { peer in
            let action = KubernetesPodsAction(sources: sources(try peer.writeKubeconfig(namespace: "shop")))
            let ready = try await action.execute(kubernetesContext(["selector": "app in (web, api),!canary"]))
            #expect(ready["total"] == 2)
            #expect(ready["ready"] == 2)
            #expect(ready["crashloop"] == 0)
            let none = try await action.execute(kubernetesContext(["selector": "app=nothing"]))
            #expect(none["total"] == 0)
            #expect(none["pods"] == [])
        }
    }
}
