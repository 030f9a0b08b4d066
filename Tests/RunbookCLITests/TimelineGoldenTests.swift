import Foundation
import RunbookTestPeers
import Testing

/// `runbook timeline` of the recorded incident, in every format, against the golden files.
@Suite("Timeline golden files")
struct TimelineGoldenTests {
    @Test("each format of the recorded incident matches its golden file", arguments: [
        ("md", "incident.md"), ("json", "incident.json"), ("csv", "incident.csv"), ("html", "incident.html"),
        ("postmortem", "incident.postmortem.md"),
    ])
    func format(_ format: String, golden: String) async throws {
        let recorded = try await RecordedWorkspace()
        let result = try recorded.timeline(["--incident", RecordedIncident.incident, "--format", format])
        #expect(result.status == 0, "\(result.stderr)")
        try Golden.check(result.stdout, against: golden)
    }

    @Test("a single run's timeline holds only that run")
    func singleRun() async throws {
        let recorded = try await RecordedWorkspace()
        let result = try recorded.timeline([RecordedIncident.firstRun])
        #expect(result.status == 0, "\(result.stderr)")
        try Golden.check(result.stdout, against: "run.md")
        #expect(!result.stdout.contains(RecordedIncident.secondRun))
    }

    @Test("the JSON validates against docs/timeline.schema.json")
    func jsonSchema() async throws {
        let recorded = try await RecordedWorkspace()
        let result = try recorded.timeline(["--incident", RecordedIncident.incident, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let file = recorded.workspace.path("timeline.json")
        try result.stdout.write(toFile: file, atomically: true, encoding: .utf8)
        let root = RunbookBinary.packageRoot
        let validation = try RunbookBinary.runProgram(
            "/usr/bin/env",
            ["python3", root.appendingPathComponent("Tests/schema/validate.py").path,
             root.appendingPathComponent("docs/timeline.schema.json").path, file])
        #expect(validation.status == 0, "\(validation.stderr)")
        #expect(validation.stdout.contains(#""valid": true"#), "\(validation.stdout)")
    }
}
