import Foundation
import RunbookLanguage
import Subprocess
import SystemPackage

/// A kubeconfig user's `exec` credential plugin (`aws eks get-token`, `gke-gcloud-auth-plugin`, `kubelogin`): a
/// command that prints an `ExecCredential` with a token or a client certificate.
struct ExecCredentialPlugin: Sendable, Hashable {
    /// The program: a name looked up in `PATH`, or a path (relative ones are resolved against the kubeconfig's folder).
    var command: String
    /// Its arguments.
    var arguments: [String]
    /// Extra environment variables, in order.
    var environment: [EnvironmentVariable]
    /// `client.authentication.k8s.io/v1` or `…/v1beta1`; the reply must have the same.
    var apiVersion: String
    /// Whether `KUBERNETES_EXEC_INFO` carries the cluster (`provideClusterInfo`).
    var providesClusterInfo: Bool

    /// One `env:` entry.
    struct EnvironmentVariable: Sendable, Hashable {
        /// The variable's name.
        var name: String
        /// Its value.
        var value: String
    }

    /// The API versions of `ExecCredential` kubectl accepts.
    static let apiVersions = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]

    /// Reads the `exec:` mapping of the user `user` in the kubeconfig at `path`.
    /// - Throws: a sentence naming the kubeconfig, the user and what is missing.
    init(_ entry: Value, user: String, path: String, directory: String) throws(KubeconfigError) {
        let what = "the exec plugin of user '\(user)' in the kubeconfig '\(path)'"
        guard let command = entry.member("command").text, !command.isEmpty else {
            throw KubeconfigError("\(what) has no 'command'")
        }
        guard let apiVersion = entry.member("apiVersion").text, Self.apiVersions.contains(apiVersion) else {
            throw KubeconfigError(
                "\(what) must set 'apiVersion' to one of \(Self.apiVersions.joined(separator: ", "))")
        }
        self.command = command.contains("/") ? Kubeconfig.resolve(command, against: directory) : command
        self.apiVersion = apiVersion
        if case .array(let items) = entry.member("args") {
            arguments = items.compactMap(\.text)
        } else {
            arguments = []
        }
        if case .array(let items) = entry.member("env") {
            environment = items.compactMap { item in
                guard let name = item.member("name").text else { return nil }
                return EnvironmentVariable(name: name, value: item.member("value").text ?? "")
            }
        } else {
            environment = []
        }
        providesClusterInfo = entry.member("provideClusterInfo").isTruthy
    }

    /// Runs the plugin and reads its `ExecCredential`, or returns the one cached from an earlier run until it expires.
    /// - Parameters:
    ///   - cluster: the cluster being called, for `provideClusterInfo`.
    ///   - now: the current time, to check expiry.
    /// - Throws: a sentence (without the credential) saying why no credential came back.
    func credential(
        for cluster: Kubeconfig.Cluster, now: Date = Date()
    ) async throws(KubeconfigError) -> ExecCredential {
        let key = ExecCredentialCache.Key(plugin: self, server: cluster.server ?? "")
        if let cached = ExecCredentialCache.shared.credential(for: key, at: now) { return cached }
        let credential = try await run(cluster)
        ExecCredentialCache.shared.store(credential, for: key)
        return credential
    }

    /// Forgets a cached credential the server refused, so the next call runs the plugin again.
    func forget(for cluster: Kubeconfig.Cluster) {
        ExecCredentialCache.shared.remove(ExecCredentialCache.Key(plugin: self, server: cluster.server ?? ""))
    }

    /// `KUBERNETES_EXEC_INFO`: what kubectl tells the plugin about the call.
    func execInfo(for cluster: Kubeconfig.Cluster) -> String {
        var spec: [String: Value] = ["interactive": false]
        if providesClusterInfo {
            var info: [String: Value] = ["server": .string(cluster.server ?? "")]
            if let authorities = cluster.certificateAuthorityData {
                info["certificate-authority-data"] = .string(Data(authorities).base64EncodedString())
            }
            if cluster.skipsTLSVerification { info["insecure-skip-tls-verify"] = true }
            spec["cluster"] = .object(info)
        }
        let info: Value = .object(
            ["apiVersion": .string(apiVersion), "kind": "ExecCredential", "spec": .object(spec)])
        return info.jsonString(pretty: false)
    }

    private func run(_ cluster: Kubeconfig.Cluster) async throws(KubeconfigError) -> ExecCredential {
        var overrides: [Environment.Key: String?] = [:]
        for variable in environment { overrides[Environment.Key(stringLiteral: variable.name)] = variable.value }
        overrides["KUBERNETES_EXEC_INFO"] = execInfo(for: cluster)
        let executable: Executable = command.contains("/") ? .path(FilePath(command)) : .name(command)
        let stdout: String
        do {
            let result = try await Subprocess.run(
                executable, arguments: Arguments(arguments), environment: .inherit.updating(overrides),
                input: .none, output: .string(limit: 1024 * 1024), error: .string(limit: 64 * 1024))
            guard case .exited(0) = result.terminationStatus else {
                let detail = result.standardError.split(whereSeparator: \.isNewline).last.map(String.init)
                throw KubeconfigError(
                    "the exec credential plugin '\(command)' failed (\(result.terminationStatus))"
                        + (detail.map { ": \($0)" } ?? "") + "; run it by hand to see why")
            }
            stdout = result.standardOutput
        } catch let error as KubeconfigError {
            throw error
        } catch {
            throw KubeconfigError(
                "could not run the exec credential plugin '\(command)' (\(error)); check that it is installed and in "
                    + "PATH")
        }
        return try ExecCredential(json: stdout, apiVersion: apiVersion, command: command)
    }
}
