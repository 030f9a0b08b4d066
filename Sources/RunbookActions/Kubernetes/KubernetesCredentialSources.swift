import Foundation
import RunbookLanguage

/// Where the Kubernetes actions look for a cluster and credentials: the process environment (`KUBECONFIG`, `HOME`,
/// `KUBERNETES_SERVICE_HOST`/`_PORT`) and a pod's service-account folder.
///
/// The actions use the process's own by default; tests pass their own so suites can run in parallel.
public struct KubernetesCredentialSources: Sendable, Hashable {
    /// Environment variables: `KUBECONFIG`, `HOME`, `KUBERNETES_SERVICE_HOST`, `KUBERNETES_SERVICE_PORT`.
    public var environment: EnvironmentVariables
    /// The folder with a pod's service-account `token`, `ca.crt` and `namespace`.
    public var serviceAccountDirectory: String

    /// The folder Kubernetes mounts a pod's service-account credentials at.
    public static let standardServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// Creates sources; by default the process's environment (read when an action runs) and the standard
    /// service-account folder.
    public init(
        environment: [String: String]? = nil,
        serviceAccountDirectory: String = standardServiceAccountDirectory
    ) {
        self.environment = environment.map(EnvironmentVariables.init) ?? .process
        self.serviceAccountDirectory = serviceAccountDirectory
    }

    /// The kubeconfig files to read, in order: `$KUBECONFIG`'s (split at `:`, missing files skipped, as kubectl
    /// does), else `~/.kube/config` when it exists.
    var kubeconfigPaths: [String] {
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            var seen = Set<String>()
            return list.split(separator: ":").map(String.init).filter {
                !$0.isEmpty && seen.insert($0).inserted && FileManager.default.fileExists(atPath: $0)
            }
        }
        let standard = environment.home + "/.kube/config"
        return FileManager.default.fileExists(atPath: standard) ? [standard] : []
    }

    /// What was looked at, for a message when nothing was found.
    var kubeconfigDescription: String {
        if let list = environment["KUBECONFIG"], !list.isEmpty { return "KUBECONFIG=\(list)" }
        return "~/.kube/config"
    }
}
