import Foundation
import RunbookTestPeers
import Testing

/// `scripts/check-imports`, which `make test` runs before building: the modules' imports follow the allowed edges,
/// and an import against them is named at its file and line.
@Suite struct ImportRuleTests {
    private static let script = RunbookBinary.packageRoot.appendingPathComponent("scripts/check-imports").path

    @Test func theSourcesFollowTheAllowedEdges() throws {
        let outcome = try RunbookBinary.runProgram(Self.script, [RunbookBinary.packageRoot.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
    }

    @Test func anImportAgainstTheArrowsIsNamed() throws {
        let copy = try TemporaryDirectory()
        defer { copy.remove() }
        for folder in ["Sources", "Benchmarks"] {
            try FileManager.default.copyItem(
                atPath: RunbookBinary.packageRoot.appendingPathComponent(folder).path, toPath: copy.file(folder))
        }
        let file = copy.file("Sources/RunbookReport/Moment.swift")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try ("import Foundation\n@preconcurrency import RunbookEngine\n" + text).write(
            toFile: file, atomically: true, encoding: .utf8)
        let outcome = try RunbookBinary.runProgram(Self.script, [copy.path])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains(
            "Sources/RunbookReport/Moment.swift:2: error: RunbookReport may not import RunbookEngine"), "\(outcome.stderr)")
    }
}
