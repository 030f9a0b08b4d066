import Foundation
import RunbookLanguage
import Testing

/// The path arithmetic every command does at start-up, and the configuration file it finds with it.
@Suite struct FilePathsTests {
    @Test(arguments: [
        ("runbooks", "/srv/ops", "/srv/ops/runbooks"),
        ("./a/../b/./c", "/srv", "/srv/b/c"),
        ("/etc/../var//log/", "/ignored", "/var/log"),
        ("../../..", "/srv/ops", "/"),
        (".", "/", "/"),
    ])
    func absolute(_ path: String, _ base: String, _ expected: String) {
        #expect(FilePaths.absolute(path, relativeTo: base) == expected)
    }

    @Test func parent() {
        #expect(FilePaths.parent(of: "/srv/ops/runbook.config.yaml") == "/srv/ops")
        #expect(FilePaths.parent(of: "/runbook.config.yaml") == "/")
        #expect(FilePaths.parent(of: "/") == "/")
    }

    @Test("the config's folder is the root; a symlinked config counts, a device or a folder does not")
    func configRoot() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rb-paths-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let nested = folder.appendingPathComponent("team/runbooks/deep")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        let config = folder.appendingPathComponent("team/runbook.config.yaml")
        try "store: sqlite:state.db\n".write(to: config, atomically: true, encoding: .utf8)
        let link = folder.appendingPathComponent("linked.yaml")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: config)

        #expect(RunbookLibrary.configRoot(config.path) == folder.appendingPathComponent("team").path)
        #expect(RunbookLibrary.configRoot(link.path) == folder.path)
        #expect(RunbookLibrary.configRoot("/dev/null") == nil)
        #expect(RunbookLibrary.configRoot(nested.path) == nil)
        #expect(RunbookLibrary.configRoot(folder.appendingPathComponent("missing.yaml").path) == nil)
        #expect(FilePaths.isDirectory(nested.path) && !FilePaths.isDirectory(config.path))
        #expect(FilePaths.isRegularFile(link.path) && !FilePaths.isRegularFile(nested.path))

        #expect(RunbookLibrary.findConfig(from: nested.path) == config.path)
        #expect(RunbookLibrary.findConfig(from: folder.path) == nil)
    }
}
