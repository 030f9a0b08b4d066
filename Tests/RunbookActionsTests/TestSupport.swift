import Foundation
import RunbookActions
import RunbookLanguage
import Synchronization

/// Runs `action` and returns its outputs or its failure.
func outcome(of action: some Action, _ context: ActionContext) async -> Result<[String: Value], ActionFailure> {
    await outcome { () async throws(ActionFailure) in try await action.execute(context) }
}

/// What `body` returned or threw.
func outcome(_ body: () async throws(ActionFailure) -> [String: Value]) async -> Result<[String: Value], ActionFailure> {
    do {
        return .success(try await body())
    } catch {
        return .failure(error)
    }
}

/// A context for tests.
func makeContext(
    _ parameters: [String: Value], workingDirectory: String = FileManager.default.temporaryDirectory.path,
    environment: [String: String] = [:], channels: [String: NotifyChannel] = [:],
    emit: @escaping @Sendable (OutputLine) -> Void = { _ in }
) -> ActionContext {
    ActionContext(
        parameters: parameters, stepID: "step-1", runID: "r-test", environment: environment,
        workingDirectory: workingDirectory, channels: channels, emit: emit)
}

/// Runs `body` with a fresh temporary directory, removed afterwards.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async rethrows -> T {
    let path = FileManager.default.temporaryDirectory.path + "/runbook-actions-test-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// Collects emitted lines from any thread.
final class LineRecorder: Sendable {
    private let storage = Mutex<[OutputLine]>([])

    var lines: [OutputLine] { storage.withLock { $0 } }

    func record(_ line: OutputLine) {
        storage.withLock { $0.append(line) }
    }

    func texts(_ stream: OutputLine.Stream) -> [String] {
        lines.filter { $0.stream == stream }.map(\.text)
    }
}

/// Whether a process with this pid is alive (a zombie is dead, only not yet reaped).
func isAlive(_ pid: Int32) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
    else { return false }
    let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
    return state != "Z" && state != "X"
}

/// Polls `condition` every 50 ms until it holds or `timeout` passes.
///
/// `timeout` is wall time, and this test's task, and whatever it waits for, may get no thread for many seconds while
/// other tests block every thread of the cooperative pool (the CLI tests wait for the built binary on them): give a
/// wait for something that should happen a window of tens of seconds; it returns as soon as the condition holds.
func eventually(within timeout: Duration, _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return condition()
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }

    var success: Success? {
        if case .success(let value) = self { return value }
        return nil
    }
}
