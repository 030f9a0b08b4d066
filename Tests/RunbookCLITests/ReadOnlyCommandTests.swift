import Foundation
import RunbookTestPeers
import Testing

/// `validate`, `list`, `show`, `graph` and `schema`, run through the built binary.
struct ReadOnlyCommandTests {
    static let invalidFolder = RunbookBinary.packageRoot.appendingPathComponent("Tests/RunbookLanguageTests/Fixtures/invalid")

    @Test("the bundled runbooks are all valid")
    func bundledRunbooksValidate() throws {
        let result = try RunbookBinary.run(["validate", "runbooks/"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("runbooks checked, 0 invalid"))
    }

    @Test("each invalid fixture exits 2 with its error on stderr")
    func invalidFixturesExitTwo() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.invalidFolder.path)
            .filter { $0.hasSuffix(".yaml") }
        #expect(files.count >= 30)
        for file in files {
            let path = Self.invalidFolder.appendingPathComponent(file).path
            let result = try RunbookBinary.run(["validate", path])
            #expect(result.status == 2, "\(file)")
            #expect(result.stderr.contains("\(path):"), "\(file): \(result.stderr)")
            #expect(result.stderr.contains(": error: "), "\(file)")
            #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"), "\(file)")
        }
    }

    @Test("validate reports a missing path and an empty folder with exit 2")
    func validateMissingPaths() throws {
        let missing = try RunbookBinary.run(["validate", "/nonexistent/runbook.yaml"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("/nonexistent/runbook.yaml:1:1: error: the file does not exist"))
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let none = try RunbookBinary.run(["validate", empty.path])
        #expect(none.status == 2)
        #expect(none.stderr.contains("no runbook files"))
    }

    @Test("list prints every bundled runbook, as text and as JSON")
    func listRunbooks() throws {
        let text = try RunbookBinary.run(["list"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("NAME"))
        for name in ["api-down", "db-connections", "pod-crashloop", "disk-full"] { #expect(text.stdout.contains(name)) }
        let json = try RunbookBinary.run(["list", "--output", "json"])
        let items = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let apiDown = try #require(items.first { $0["name"] as? String == "api-down" })
        #expect(apiDown["severity"] as? String == "SEV2")
        #expect((apiDown["triggers"] as? Int ?? 0) >= 1)
        #expect(apiDown["rto"] is String)
    }

    @Test("list finds runbooks/ beside runbook.config.yaml from a subfolder, and honours --runbooks")
    func listFindsTheLibrary() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lib-\(UUID().uuidString)")
        let nested = root.appendingPathComponent("a/b")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("runbooks"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try "store: sqlite:.runbook/state.db\n".write(
            to: root.appendingPathComponent("runbook.config.yaml"), atomically: true, encoding: .utf8)
        try "name: hello\ntitle: Say hello\nsteps:\n  - id: hi\n    action: log\n    with: { message: hi }\n".write(
            to: root.appendingPathComponent("runbooks/hello.yaml"), atomically: true, encoding: .utf8)
        let found = try RunbookBinary.run(["list"], in: nested)
        #expect(found.status == 0, "\(found.stderr)")
        #expect(found.stdout.contains("hello") && found.stdout.contains("Say hello"))
        let explicit = try RunbookBinary.run(["list", "--runbooks", RunbookBinary.packageRoot.appendingPathComponent("runbooks").path],
                                             in: nested)
        #expect(explicit.stdout.contains("api-down"))
        let fromEnvironment = try RunbookBinary.run(["show", "hello"], in: FileManager.default.temporaryDirectory,
                                                    environment: ["RUNBOOK_PATH": root.appendingPathComponent("runbooks").path])
        #expect(fromEnvironment.status == 0, "\(fromEnvironment.stderr)")
    }

    @Test("show prints the plan in execution order with gates, kinds and timeouts")
    func showPlan() throws {
        let result = try RunbookBinary.run(["show", "api-down"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("plan (execution order)"))
        #expect(result.stdout.contains("gated"))
        #expect(result.stdout.contains("mutating"))
        #expect(result.stdout.contains("diagnostic"))
        #expect(result.stdout.contains("timeout"))
        #expect(result.stdout.contains("severity  SEV2"))
    }

    @Test("show names the closest runbook when the name is wrong")
    func showUnknown() throws {
        let result = try RunbookBinary.run(["show", "api-dwn"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no runbook named 'api-dwn'"))
        #expect(result.stderr.contains("did you mean 'api-down'?"))
    }

    @Test("graph prints Mermaid and DOT with every step and edge")
    func graphFormats() throws {
        let mermaid = try RunbookBinary.run(["graph", "pod-crashloop", "--format", "mermaid"])
        #expect(mermaid.status == 0, "\(mermaid.stderr)")
        #expect(mermaid.stdout.hasPrefix("flowchart TD\n"))
        #expect(mermaid.stdout.contains(" --> "))
        #expect(mermaid.stdout.contains("{{"))
        let dot = try RunbookBinary.run(["graph", "pod-crashloop", "--format", "dot"])
        #expect(dot.stdout.hasPrefix("digraph \"pod-crashloop\" {"))
        #expect(dot.stdout.contains(" -> "))
        #expect(dot.stdout.contains("shape=hexagon"))
        let bad = try RunbookBinary.run(["graph", "pod-crashloop", "--format", "svg"])
        #expect(bad.status == 2)
    }

    @Test("usage errors exit 2, --help and --version exit 0")
    func usage() throws {
        let unknown = try RunbookBinary.run(["frobnicate"])
        #expect(unknown.status == 2)
        let help = try RunbookBinary.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("validate"))
        let version = try RunbookBinary.run(["--version"])
        #expect(version.status == 0)
        #expect(!version.stdout.isEmpty)
    }

    @Test("a command parsed alone reads the same: its help, its usage errors, `help NAME`, nested commands")
    func commandHelp() throws {
        let execHelp = try RunbookBinary.run(["exec", "--help"])
        #expect(execHelp.status == 0)
        #expect(execHelp.stdout.contains("USAGE: runbook exec"))
        #expect(execHelp.stdout.contains("--dry-run"))
        let viaHelp = try RunbookBinary.run(["help", "exec"])
        #expect(viaHelp.status == 0)
        #expect(viaHelp.stdout == execHelp.stdout)
        let missing = try RunbookBinary.run(["exec"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("Missing expected argument '<name>'"))
        #expect(missing.stderr.contains("Usage: runbook exec"))
        let unknownOption = try RunbookBinary.run(["exec", "x", "--frobnicate"])
        #expect(unknownOption.status == 2)
        #expect(unknownOption.stderr.contains("Unknown option '--frobnicate'"))
        let nested = try RunbookBinary.run(["audit", "verify", "--help"])
        #expect(nested.status == 0)
        #expect(nested.stdout.contains("USAGE: runbook audit verify"))
    }

    @Test("junk never crashes the validator")
    func junkInput() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("junk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var generator = SystemRandomNumberGenerator()
        let documents: [String: Data] = [
            "binary": Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }),
            "nested-flow": Data((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8),
            "nested-block": Data((0..<3000).map { String(repeating: " ", count: $0) + "k:\n" }.joined().utf8),
            "nested-dashes": Data(("steps: " + String(repeating: "- ", count: 50_000) + "x\n").utf8),
            "laughs": Data("""
                name: laughs
                a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
                f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
                steps:
                  - id: x
                    action: log
                    with: { message: *f }
                """.utf8),
            "huge": Data(("name: huge\nsteps:\n" + (0..<20_000).map { "  - id: s\($0)\n    action: sleep\n    with: { duration: 1s }\n" }
                .joined()).utf8),
            "tabs": Data("name: tabs\nsteps:\n\t- id: a\n".utf8),
        ]
        for (name, data) in documents {
            let path = folder.appendingPathComponent("\(name).yaml").path
            _ = FileManager.default.createFile(atPath: path, contents: data)
            let result = try RunbookBinary.run(["validate", path])
            #expect(result.status == 2 || (name == "huge" && result.status == 0), "\(name): \(result.stderr.prefix(500))")
            #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"), "\(name)")
            if result.status == 2 { #expect(result.stderr.contains("\(path):"), "\(name): \(result.stderr.prefix(300))") }
        }
    }
}
