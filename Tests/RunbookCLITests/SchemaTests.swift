import Foundation
import RunbookTestPeers
import Testing

/// `runbook schema` checked by a real JSON Schema validator (PyPI `jsonschema`, draft 2020-12).
struct SchemaTests {
    /// The invalid fixtures whose problem is structural, so the schema alone must reject them.
    /// The others need the whole document (cycles, what expressions read) and only `runbook validate` sees them.
    static let rejectedBySchema: Set<String> = [
        "action-and-run", "bad-confirm", "bad-duration", "bad-enum-parameter", "bad-input-type", "bad-name",
        "bad-retry", "bad-severity", "bad-status-code", "bad-step-id", "empty-file", "empty-steps",
        "exclusive-parameters", "invalid-yaml", "missing-name", "missing-parameter", "missing-step-id",
        "missing-steps", "no-action", "not-a-mapping", "step-key-in-with", "unknown-action", "unknown-parameter",
        "unknown-step-key", "unknown-top-key", "unknown-trigger-source", "wrong-parameter-type",
    ]

    @Test("the schema accepts every bundled runbook and rejects the structurally invalid fixtures")
    func schemaAgreesWithValidator() throws {
        let root = RunbookBinary.packageRoot
        let schema = try RunbookBinary.run(["schema"])
        #expect(schema.status == 0)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString).json")
        try Data(schema.stdout.utf8).write(to: scratch)
        defer { try? FileManager.default.removeItem(at: scratch) }

        let bundled = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("runbooks").path)
            .filter { $0.hasSuffix(".yaml") }.map { "runbooks/\($0)" }
        let invalidFolder = "Tests/RunbookLanguageTests/Fixtures/invalid"
        let invalid = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(invalidFolder).path)
            .filter { $0.hasSuffix(".yaml") }.map { "\(invalidFolder)/\($0)" }
        #expect(bundled.count >= 9)

        let result = try RunbookBinary.runProgram(
            "/usr/bin/env", ["python3", "Tests/schema/validate.py", scratch.path] + bundled + invalid)
        #expect(result.status == 0, "\(result.stderr)")
        var verdicts: [String: (valid: Bool, error: String)] = [:]
        for line in result.stdout.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let file = try #require(object["file"] as? String)
            verdicts[file] = (object["valid"] as? Bool ?? false, object["error"] as? String ?? "")
        }
        for file in bundled {
            #expect(verdicts[file]?.valid == true, "\(file): \(verdicts[file]?.error ?? "missing")")
        }
        for file in invalid {
            let name = String(file.split(separator: "/").last?.dropLast(5) ?? "")
            let expected = !Self.rejectedBySchema.contains(name)
            #expect(verdicts[file]?.valid == expected, "\(name): schema said \(verdicts[file]?.error ?? "valid")")
        }
    }
}
