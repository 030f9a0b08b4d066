import Foundation
import RunbookTestPeers
import RunbookStore
import Testing

/// A temporary workspace whose store holds ``RecordedIncident``, for running `runbook timeline` against it.
final class RecordedWorkspace {
    let workspace: TemporaryWorkspace
    let events: [AuditEventSummary]

    /// The seq and type of a stored event, enough for the tests.
    struct AuditEventSummary {
        var seq: Int64
        var type: String
    }

    /// Writes the recorded incident (plus `extra` entries) into a new workspace's store.
    init(extra: [RecordedIncident.Entry] = []) async throws {
        workspace = try TemporaryWorkspace()
        let stored = try await RecordedIncident.write(to: workspace.path(".runbook/state.db"), extra: extra)
        events = stored.map { AuditEventSummary(seq: $0.seq, type: $0.type) }
    }

    /// The store file.
    var storePath: String { workspace.path(".runbook/state.db") }

    /// Runs `runbook timeline ARGUMENTS` in the workspace.
    func timeline(_ arguments: [String]) throws -> RunbookBinary.Outcome {
        try workspace.run(["timeline"] + arguments)
    }
}

/// The golden files: `Fixtures/golden/NAME`, rewritten instead of compared when `RUNBOOK_UPDATE_GOLDEN=1`.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/golden")

    /// Compares `text` with the golden file `name` (or rewrites it).
    static func check(_ text: String, against name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["RUNBOOK_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if text != expected {
            let actual = FileManager.default.temporaryDirectory.appendingPathComponent("actual-\(name)")
            try? text.write(to: actual, atomically: true, encoding: .utf8)
            Issue.record(
                "\(name) differs from its golden file; the output is in \(actual.path) (diff it, or regenerate with RUNBOOK_UPDATE_GOLDEN=1)",
                sourceLocation: sourceLocation)
        }
    }
}

