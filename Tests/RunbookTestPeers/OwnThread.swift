import Foundation

/// Runs blocking work (spawning and waiting for a process, polling a server) on a thread of its own, so it never holds
/// one of the few threads of Swift's cooperative pool that the code under test needs.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.name = "runbook-test-peer"
        thread.start()
    }
}
