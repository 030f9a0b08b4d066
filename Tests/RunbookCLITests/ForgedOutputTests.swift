import Foundation
import RunbookTestPeers
import Testing

/// Text that people and programs put in the log — inputs, comments, notes, display names (`$RUNBOOK_USER`), incident
/// ids, a step's output — printed by `exec`, `log`, `status`, `runs`, the confirmations and errors: never a raw
/// control character, never a line of its own.
struct ForgedOutputTests {
    /// Clears the screen, returns to the line's start, and prints a denial that never happened, right to left.
    static let forgery = "ok\u{1B}[2J\r\n  ⊘ denied restart by carol\u{202E}lorac\u{2066}"

    static let body = """
        inputs:
          why: { type: string }
        steps:
          - id: show
            mutating: false
            run: printf 'out\\033[31mred\\r  \\342\\212\\230 denied restart by carol\\033[0m\\n'
          - id: restart
            run: echo restarted
            confirm: { message: "Restart because ${{ inputs.why }}?", timeout: 60s }
        """

    /// The characters that must never reach the output raw: controls but the line ends, DEL, C1, bidi controls,
    /// line and paragraph separators. Listed here on their own, not taken from the code under test.
    static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A: false
        case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x2028...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// Checks that `output` has no forbidden character and no line that starts (after its time and indentation)
    /// with a gate's mark: none was denied in these runs.
    static func expectClean(_ output: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let raw = output.unicodeScalars.filter(isForbidden).map { "U+" + String($0.value, radix: 16) }
        #expect(raw.isEmpty, "\(what) printed raw \(raw): \(output.debugDescription)", sourceLocation: sourceLocation)
        let forged = output.split(separator: "\n").filter { line in
            line.drop { $0 == " " || $0 == ":" || $0.isNumber }.hasPrefix("⊘")
        }
        #expect(forged.isEmpty, "\(what) printed a forged line: \(forged)", sourceLocation: sourceLocation)
    }

    @Test("inputs, comments, notes, display names and a step's output cannot forge a line or send a control character")
    func recordedTextIsEscaped() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("gate", Self.body)
        let incident = "INC-1\u{1B}[1A\r⊘ denied"
        let run = try workspace.start(
            ["exec", "gate", "-i", "why=" + Self.forgery, "--incident", incident], user: "mallory\n  ⊘ denied by carol")
        var id: String?
        #expect(workspace.waitFor {
            id = try? workspace.latestRun()
            guard let id else { return false }
            return (try? workspace.run(["status", id]).stdout.contains("waiting at gate")) ?? false
        })
        let runID = try #require(id)
        let approve = try workspace.run(
            ["approve", runID, "restart", "--comment", Self.forgery], user: "bob\u{1B}[1A\u{202E}")
        #expect(approve.status == 0, "\(approve.stderr)")
        Self.expectClean(approve.stdout + approve.stderr, "approve")
        #expect(approve.stdout.contains(#" (bob\x1b[1A\u{202e})"#), "\(approve.stdout)")
        let note = try workspace.run(["note", runID, Self.forgery], user: "erin\r⊘ denied")
        #expect(note.status == 0, "\(note.stderr)")
        Self.expectClean(note.stdout + note.stderr, "note")
        let result = run.wait(seconds: 60)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        Self.expectClean(result.stdout + result.stderr, "exec")
        #expect(result.stdout.contains(#"| show out\x1b[31mred\r"#))
        #expect(result.stdout.contains(#"Restart because ok\x1b[2J\r\n  ⊘ denied restart by carol\u{202e}lorac\u{2066}?"#))

        let log = try workspace.run(["log", runID])
        #expect(log.status == 0, "\(log.stderr)")
        Self.expectClean(log.stdout + log.stderr, "log")
        #expect(log.stdout.contains(#" (bob\x1b[1A\u{202e}) (runbook approve): ok\x1b[2J\r\n  ⊘ denied"#))
        #expect(log.stdout.contains(#": ok\x1b[2J\r\n  ⊘ denied restart by carol\u{202e}lorac\u{2066}"#))
        #expect(log.stdout.contains(#"incident INC-1\x1b[1A\r⊘ denied"#))
        let follow = try workspace.run(["log", runID, "--follow"])
        Self.expectClean(follow.stdout + follow.stderr, "log --follow")
        #expect(follow.stdout == log.stdout)

        let status = try workspace.run(["status", runID])
        #expect(status.status == 0, "\(status.stderr)")
        Self.expectClean(status.stdout + status.stderr, "status")
        let runs = try workspace.run(["runs"])
        Self.expectClean(runs.stdout + runs.stderr, "runs")
        #expect(runs.stdout.split(separator: "\n").count == 2, "\(runs.stdout)")

        // JSON keeps the text exactly as recorded, JSON-escaped.
        let json = try workspace.run(["log", runID, "--output", "json"])
        #expect(json.stdout.contains(#"ok\u001b[2J\r\n  ⊘ denied restart by carol"#))
    }

    @Test("an error that quotes what it was given shows it escaped")
    func errorsAreEscaped() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("gate", """
            steps:
              - id: restart
                run: echo restarted
                confirm: { message: "Restart?", timeout: 60s }
            """)
        let run = try workspace.start(["exec", "gate"])
        var id: String?
        #expect(workspace.waitFor {
            id = try? workspace.latestRun()
            guard let id else { return false }
            return (try? workspace.run(["status", id]).stdout.contains("waiting at gate")) ?? false
        })
        let runID = try #require(id)
        let refused = try workspace.run(["approve", runID, "nothing\r\n  ⊘ denied restart by carol"])
        #expect(refused.status == 2)
        Self.expectClean(refused.stderr, "approve's error")
        #expect(refused.stderr.contains(#"step 'nothing\r\n  ⊘ denied restart by carol' of run"#), "\(refused.stderr)")
        #expect(try workspace.run(["deny", runID]).status == 0)
        #expect(run.wait(seconds: 60).status == 3)
    }
}
