import Foundation
import RunbookActions
import RunbookLanguage
import RunbookTestPeers

/// A context for a `pg.*` step whose environment `staging` points at `conninfo`.
func postgresContext(
    _ parameters: [String: Value], conninfo: String, emit: @escaping @Sendable (OutputLine) -> Void = { _ in }
) -> ActionContext {
    ActionContext(
        parameters: parameters, stepID: "step-1", runID: "r-test",
        workingDirectory: FileManager.default.temporaryDirectory.path,
        target: ActionTarget(environmentName: "staging", postgres: conninfo), emit: emit)
}

/// The objects of a list output.
func entries(_ value: Value?) -> [[String: Value]] {
    guard case .array(let items)? = value else { return [] }
    return items.compactMap { item in
        if case .object(let fields) = item { return fields }
        return nil
    }
}

/// The `pid`s of a list output's objects.
func pids(_ value: Value?) -> Set<Int> {
    Set(entries(value).compactMap { $0["pid"]?.numericValue.map { Int($0) } })
}

/// The entry of a list output for `pid`.
func entry(_ value: Value?, pid: Int) -> [String: Value]? {
    entries(value).first { $0["pid"]?.numericValue == Double(pid) }
}

extension PostgresPeer {
    /// The grants of an on-call role that sees every session and may signal other roles' backends, without being a
    /// superuser.
    static let operatorGrants = ["pg_read_all_stats", "pg_signal_backend"]

    /// Starts `SELECT pg_sleep(600)` as `user` under `application`, and waits until it runs.
    func sleeper(user: String, application: String) async throws -> (client: PostgresClient, pid: Int) {
        let client = try startSession("SELECT pg_sleep(600)", user: user, application: application)
        return (client, try await backend(application: application, state: "active"))
    }
}
