import Foundation
import RunbookActions
import RunbookLanguage
import RunbookTestPeers
import Testing

@Suite("Kubernetes failures")
struct KubernetesFailureTests {
    private func failure(
        _ action: some Action, _ kubeconfig: String, _ parameters: [String: Value], context: String? = nil
    ) async -> String? {
        await outcome(of: action, kubernetesContext(parameters, context: context)).failure?.message
    }

    @Test func wrongTokenForbiddenAndNotFound() async throws {
        try await withKubernetes { peer in
            let endpoint = "environment 'prod' (context 'fake', \(peer.server))"
            let wrong = try peer.writeKubeconfig(credential: .token("not-a-token"), folder: "wrong")
            #expect(await failure(KubernetesPodsAction(sources: sources(wrong)), wrong, ["selector": "app=web"])
                == "\(endpoint): the Kubernetes API rejected the credentials of user 'fake' (401 Unauthorized); "
                + "check the token, client certificate or exec plugin in the kubeconfig, and that they have not "
                + "expired")

            let viewer = try peer.writeKubeconfig(credential: .token(KubernetesPeer.viewerToken), folder: "viewer")
            let scale = KubernetesScaleAction(sources: sources(viewer))
            #expect(await failure(scale, viewer, ["namespace": "shop", "deployment": "web", "replicas": 3])
                == "\(endpoint): forbidden: deployments.apps \"web\" is forbidden: User \"viewer\" cannot patch "
                + "resource \"deployments/scale\" in API group \"apps\" in the namespace \"shop\" (403); grant "
                + "'patch deployments.apps/scale' to that user with RBAC")

            let admin = try peer.writeKubeconfig(folder: "admin")
            #expect(await failure(
                KubernetesRestartAction(sources: sources(admin)), admin, ["namespace": "shop", "deployment": "ghost"])
                == "\(endpoint): deployment 'ghost' in namespace 'shop' was not found (deployments.apps \"ghost\" "
                + "not found); check the name and the namespace")
        }
    }

    @Test func unreachableEndpointAndTLSErrors() async throws {
        try await withKubernetes { peer in
            let port = try LoopbackPort.free()
            let closed = try peer.writeKubeconfig(server: "https://127.0.0.1:\(port)", folder: "closed")
            let message = await failure(KubernetesPodsAction(sources: sources(closed)), closed, ["selector": "a=b"])
            #expect(message == "environment 'prod' (context 'fake', https://127.0.0.1:\(port)): cannot reach the "
                + "Kubernetes API for the pods matching 'a=b' in namespace 'default': connection refused by 127.0.0.1 "
                + "port \(port); check that the service is running and listening there; check the cluster's server "
                + "address in the kubeconfig, that the cluster is up, and VPNs or proxies")

            let untrusted = try peer.writeKubeconfig(trust: .wrongAuthority, folder: "untrusted")
            let tls = await failure(KubernetesPodsAction(sources: sources(untrusted)), untrusted, ["selector": "a=b"])
            #expect(tls?.hasPrefix("environment 'prod' (context 'fake', \(peer.server)): cannot reach the Kubernetes "
                + "API for the pods matching 'a=b' in namespace 'default': TLS problem with 127.0.0.1") == true)
            #expect(tls?.hasSuffix("check the cluster's certificate-authority(-data) and the user's client "
                + "certificate in the kubeconfig") == true)
        }
    }

    @Test func missingKubeconfigAndUnknownContext() async throws {
        let nothing = KubernetesCredentialSources(
            environment: ["HOME": "/nonexistent"], serviceAccountDirectory: "/nonexistent")
        let none = await outcome(of: KubernetesPodsAction(sources: nothing), kubernetesContext(["selector": "a=b"]))
        #expect(none.failure?.message == "environment 'prod': no kubeconfig found (looked at ~/.kube/config) and not "
            + "running in a pod; set KUBECONFIG or create ~/.kube/config")
        try await withKubernetes { peer in
            let kubeconfig = try peer.writeKubeconfig()
            #expect(await failure(KubernetesPodsAction(sources: sources(kubeconfig)), kubeconfig, ["selector": "a=b"],
                context: "staging")
                == "environment 'prod': the context 'staging' is not in the kubeconfig (\(kubeconfig)); known "
                + "contexts: fake")
        }
    }
}
