import Foundation
import RunbookLanguage
import RunbookStore
import RunbookTestPeers
import Testing

/// A store written by a released `runbook` (`Fixtures/release-store/state.db`, recorded by the `record.sh` beside it:
/// gates approved and denied from other processes, retries, a skip, RTO warnings and a breach, recovery,
/// notifications, a cancel, a `kill -9` and a resume, notes, and alerts through `serve`) still verifies, exports and
/// renders byte for byte as that release rendered it. A change to how events are written or read that would make an
/// existing store read differently fails here.
@Suite("A store written by the previous release")
struct ReleaseStoreTests {
    static let folder = RunbookBinary.packageRoot.appendingPathComponent("Tests/RunbookCLITests/Fixtures/release-store")

    /// Every run of the store with its incident, as `record.sh` listed them.
    static let runs: [(run: String, incident: String)] = {
        let text = (try? String(contentsOf: folder.appendingPathComponent("golden/runs.txt"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { line in
            let fields = line.split(separator: " ")
            return (String(fields[0]), String(fields[1]))
        }
    }()

    /// A workspace holding a copy of the release's store (the original is never opened for writing).
    private func workspace() throws -> TemporaryWorkspace {
        let workspace = try TemporaryWorkspace(config: "store: sqlite:state.db\n")
        try FileManager.default.copyItem(
            at: Self.folder.appendingPathComponent("state.db"), to: workspace.root.appendingPathComponent("state.db"))
        return workspace
    }

    private func check(_ arguments: [String], in workspace: TemporaryWorkspace, against golden: String,
                       sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let result = try workspace.run(arguments, environment: ["TZ": "UTC"])
        #expect(result.status == 0, "runbook \(arguments.joined(separator: " ")): \(result.stderr)",
                sourceLocation: sourceLocation)
        let expected = try String(contentsOf: Self.folder.appendingPathComponent("golden/\(golden)"), encoding: .utf8)
        #expect(result.stdout == expected, "runbook \(arguments.joined(separator: " ")) differs from golden/\(golden)",
                sourceLocation: sourceLocation)
    }

    @Test("the recording holds five runs on three incidents")
    func recording() {
        #expect(Self.runs.count == 5)
        #expect(Set(Self.runs.map(\.incident)).count >= 3)
    }

    @Test("audit verify, export and head are as the release printed them")
    func audit() throws {
        let workspace = try workspace()
        try check(["audit", "verify"], in: workspace, against: "verify.txt")
        try check(["audit", "export"], in: workspace, against: "export.ndjson")
        try check(["audit", "head"], in: workspace, against: "head.txt")
    }

    @Test("each run's log, as text and as NDJSON, and its timeline", arguments: 1...5)
    func run(_ number: Int) throws {
        try #require(Self.runs.count == 5)
        let workspace = try workspace()
        let run = Self.runs[number - 1].run
        try check(["log", run], in: workspace, against: "log-\(number).txt")
        try check(["log", run, "--output", "json"], in: workspace, against: "log-\(number).ndjson")
        try check(["timeline", run], in: workspace, against: "timeline-\(number).md")
    }

    @Test("the incident's timeline and postmortem in every format", arguments: ["md", "json", "csv", "html", "postmortem"])
    func incident(_ format: String) throws {
        let workspace = try workspace()
        try check(["timeline", "--incident", "INC-100", "--format", format], in: workspace,
                  against: "incident-INC-100.\(format)")
    }

    @Test("every event's data decodes to its typed payload and encodes back to exactly the stored JSON")
    func payloads() async throws {
        let workspace = try workspace()
        let store = try SQLiteEventStore(path: workspace.path("state.db"))
        let events = try await store.events(after: 0, limit: 100_000)
        await store.close()
        #expect(events.count > 50)
        var types: Set<String> = []
        for event in events {
            let payload = try #require(event.body.payload, "no payload for \(event.type)")
            #expect(payload.type == event.type, "seq \(event.seq)")
            #expect(payload.data == event.data, "seq \(event.seq) \(event.type) encodes differently")
            types.insert(event.type)
        }
        // The recording covers every kind of event but an expired gate (the tests of gates cover that one) and those
        // added since the release.
        #expect(Set(EventType.all).subtracting(types) == [
            EventType.gateExpired, EventType.runDetached, EventType.runTakenOver, EventType.runReleased,
            EventType.lockWaiting, EventType.auditCheckpoint,
        ])
    }

    @Test("an expired gate's payload encodes as the engine has always written it")
    func expired() {
        let payload = GateExpired(data: ["default": "deny"])
        #expect(payload.defaultDecision == "deny")
        #expect(payload.data == ["default": "deny"])
        #expect(EventBody(type: EventType.gateExpired, data: payload.data) == .gateExpired(payload))
    }
}
