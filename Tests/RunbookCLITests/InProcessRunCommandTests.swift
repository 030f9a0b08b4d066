import Foundation
import RunbookLanguage
import RunbookStore
import Testing

@testable import RunbookCLI

/// `runs`, `status`, `log`, `note` and `exec` run in process over a store the test writes (the recorded incident,
/// with fixed timestamps), their output compared whole.
@Suite("run commands run in process")
struct InProcessRunCommandTests {
    static let first = RecordedIncident.firstRun
    static let second = RecordedIncident.secondRun

    /// A workspace whose store holds the recorded incident.
    static func recordedWorkspace() async throws -> TemporaryWorkspace {
        let workspace = try TemporaryWorkspace()
        _ = try await RecordedIncident.write(to: workspace.path(".runbook/state.db"))
        return workspace
    }

    /// `lines` joined as a command prints them, each ended by a newline.
    static func printed(_ lines: String...) -> String { lines.map { $0 + "\n" }.joined() }

    @Test("runs: the newest run first, with its status, incident, start and duration")
    func runs() async throws {
        let result = await InProcessRunbook(try await Self.recordedWorkspace()).run(["runs"])
        #expect(result.status == .success)
        #expect(result.stdout == Self.printed(
            "ID                      RUNBOOK       STATUS     INCIDENT  STARTED                      DURATION",
            "\(Self.second)  checkout-5xx  succeeded  INC-4711  2026-11-22T10:06:00.000000Z  1m48s",
            "\(Self.first)  checkout-5xx  failed     INC-4711  2026-11-22T10:00:10.000000Z  3m32s"))
        #expect(result.stderr == "")
    }

    @Test("status: each step's outcome, duration, attempts and error")
    func status() async throws {
        let result = await InProcessRunbook(try await Self.recordedWorkspace()).run(["status", Self.second])
        #expect(result.status == .success)
        #expect(result.stdout == Self.printed(
            "\(Self.second)  checkout-5xx  succeeded  incident INC-4711",
            "  started 2026-11-22T10:06:00.000000Z, 1m48s · by alice",
            "",
            "STEP     OUTCOME  DURATION  ATTEMPTS  ERROR",
            "health   failure  400ms     1         GET https://checkout.internal/health returned 502, expected 200",
            "restart  success  29.9s     1         ",
            "verify   success  2.0s      1         "))
        #expect(result.stderr == "")
    }

    @Test("status of an unknown run is exit 2, with the nearest run's name")
    func statusOfUnknownRun() async throws {
        let workspace = try await Self.recordedWorkspace()
        let typo = String(Self.second.dropLast()) + "x"
        let result = await InProcessRunbook(workspace).run(["status", typo])
        #expect(result.status == .invalid)
        #expect(result.stdout == "")
        #expect(result.stderr == Self.printed(
            "error: no run '\(typo)' in sqlite:.runbook/state.db (did you mean '\(Self.second)'?)",
            "    help: 'runbook runs' lists recent runs"))
    }

    @Test("log: every event of the run, one line each, with its time")
    func log() async throws {
        let result = await InProcessRunbook(try await Self.recordedWorkspace()).run(["log", Self.first])
        #expect(result.status == .success)
        #expect(result.stdout == Self.printed(
            "10:00:10 ▶ checkout-5xx — Checkout API returns 502",
            "           SEV2 · run \(Self.first) · incident INC-4711 · env prod · RTO 15m",
            "10:00:10   … health http.check",
            "10:00:10   ✗ health 412ms — GET https://checkout.internal/health returned 502, expected 200 (continue_on_error)",
            "10:00:10   ⏸ gate before restart: Health is HTTP 502. Restart checkout?",
            "               shell kubectl rollout restart deploy/checkout",
            "               approve: runbook approve \(Self.first) restart    deny: runbook deny \(Self.first) restart",
            "10:03:40   ⊘ denied restart by bob (runbook deny): a deploy is in progress | wait for it to finish",
            "10:03:40   ⊘ restart denied at its gate",
            "10:03:40   … verify http.check",
            "10:03:42   ✗ verify 2.2s — GET https://checkout.internal/health returned 502, expected 200",
            "10:03:42 ■ run failed in 3m32s (exit 1)"))
        #expect(result.stderr == "")
    }

    @Test("log --output json: the run's events exactly as stored")
    func logAsJSON() async throws {
        let workspace = try TemporaryWorkspace()
        let stored = try await RecordedIncident.write(to: workspace.path(".runbook/state.db"))
        let result = await InProcessRunbook(workspace).run(["log", Self.second, "--output", "json"])
        #expect(result.status == .success)
        #expect(result.stdout == stored.filter { $0.run == Self.second }.map { $0.line + "\n" }.joined())
    }

    @Test("note: recorded with the person as its author; a missing text is exit 2")
    func note() async throws {
        let workspace = try await Self.recordedWorkspace()
        let runbook = InProcessRunbook(workspace, user: "carol")
        let noted = await runbook.run(["note", Self.second, "restart", "fixed", "it"])
        #expect(noted.status == .success)
        #expect(noted.stdout == "noted on run \(Self.second) as carol\n")
        #expect(noted.stderr == "")
        let store = try SQLiteEventStore(path: workspace.path(".runbook/state.db"))
        let last = try #require(try await store.events(run: Self.second).last)
        #expect(last.type == EventType.noteAdded)
        #expect(last.actor == .user("carol"))
        #expect(last.data.member("text") == "restart fixed it")
        let empty = await runbook.run(["note", Self.second])
        #expect(empty.status == .invalid)
        #expect(empty.stdout == "")
        #expect(empty.stderr == Self.printed(
            "error: give a run id and the note's text",
            "    help: runbook note RUN \"text\" or runbook note --incident ID \"text\""))
    }

    @Test("note --incident: recorded on a known incident; an unknown one is exit 2 with the nearest incident")
    func noteOnIncident() async throws {
        let workspace = try await Self.recordedWorkspace()
        let runbook = InProcessRunbook(workspace, user: "carol")
        let noted = await runbook.run(["note", "--incident", "INC-4711", "customer", "impact", "ended"])
        #expect(noted.status == .success)
        #expect(noted.stdout == "noted on incident INC-4711 as carol\n")
        let store = try SQLiteEventStore(path: workspace.path(".runbook/state.db"))
        let before = try #require(try await store.head()).seq
        let typo = await runbook.run(["note", "--incident", "INC-4771", "customer impact ended"])
        #expect(typo.status == .invalid)
        #expect(typo.stdout == "")
        #expect(typo.stderr.hasPrefix("error: no incident 'INC-4771' in "))
        #expect(typo.stderr.contains("(did you mean 'INC-4711'?)"))
        #expect(typo.stderr.contains("help: 'runbook runs' shows each run's incident"))
        #expect(try #require(try await store.head()).seq == before)
    }

    @Test("a store that cannot be opened is exit 5, with its reason")
    func storeThatCannotOpen() async throws {
        // A store file that is there, so that `runs` opens it (a missing one it reports without opening).
        let workspace = try TemporaryWorkspace()
        try FileManager.default.createDirectory(atPath: workspace.path(".runbook"), withIntermediateDirectories: true)
        try workspace.write(".runbook/state.db", "")
        let runbook = InProcessRunbook(workspace, openStore: { _ throws(StoreError) in
            throw StoreError("the store at /nowhere cannot be opened: no such folder", code: .unavailable)
        })
        let result = await runbook.run(["runs"])
        #expect(result.status == .internalError)
        #expect(result.stdout == "")
        #expect(result.stderr == "error: the store at /nowhere cannot be opened: no such folder\n")
    }

    /// `text` with what changes from run to run (run ids, durations) replaced by `RUN` and `T`.
    static func normalized(_ text: String) -> String {
        text.replacing(/r-\d{8}-\d{6}-[0-9a-f]{4}/, with: "RUN")
            .replacing(/\b(\d+m\d{2}s|\d+(\.\d+)?(ms|s))\b/, with: "T")
    }

    @Test("exec of a shell runbook that succeeds: its steps and output, exit 0")
    func execSucceeds() async throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("greet", InProcessCommandTests.greet)
        let result = await InProcessRunbook(workspace).run(["exec", "greet", "--incident", "INC-1"])
        #expect(result.status == .success, "\(result.stderr)")
        #expect(Self.normalized(result.stdout) == Self.printed(
            "▶ greet — Say hello",
            "  SEV3 · run RUN · incident INC-1",
            "  … hello shell",
            "    | hello hello",
            "  ✓ hello T",
            "■ run succeeded in T (exit 0)"))
        #expect(result.stderr == "")
    }

    @Test("exec --since 10m: the incident started ten minutes before the context's clock says it is")
    func execSinceReadsTheClock() async throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("greet", InProcessCommandTests.greet)
        let now = try #require(Timestamp.parse("2026-11-23T09:00:00.000Z"))
        let result = await InProcessRunbook(workspace, now: { now }).run(["exec", "greet", "--since", "10m"])
        #expect(result.status == .success, "\(result.stderr)")
        let store = try SQLiteEventStore(path: workspace.path(".runbook/state.db"))
        let run = try #require(try await store.recentRuns(limit: 1).first)
        let started = try #require(try await store.events(run: run).first)
        #expect(started.type == EventType.runStarted)
        #expect(started.data.member("incident_started_at") == "2026-11-23T08:50:00.000Z")
    }

    @Test("exec of a shell runbook whose step fails: exit 1, through ArgumentParser too")
    func execFails() async throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("fails", """
            title: Fail
            severity: SEV3
            steps:
              - { id: check, run: "echo checking; exit 1", mutating: false }
            """)
        let runbook = InProcessRunbook(workspace)
        // `exec fails` takes the quick reader; `exec -- fails` goes through ArgumentParser.
        for arguments in [["exec", "fails", "--incident", "INC-2"], ["exec", "--incident", "INC-2", "--", "fails"]] {
            let result = await runbook.run(arguments)
            #expect(result.status == .stepFailed, "\(arguments)")
            #expect(Self.normalized(result.stdout) == Self.printed(
                "▶ fails — Fail",
                "  SEV3 · run RUN · incident INC-2",
                "  … check shell",
                "    | check checking",
                "  ✗ check T — command exited with status 1",
                "■ run failed in T (exit 1)"), "\(arguments)")
            #expect(result.stderr == "", "\(arguments)")
        }
    }
}
