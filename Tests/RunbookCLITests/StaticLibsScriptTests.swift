import Foundation
import RunbookTestPeers
import Testing

/// `scripts/static-libs`, which `make release` runs before linking: what it writes points at real archives, and a
/// machine without them gets nothing (so the libraries stay shared) rather than a failed build.
@Suite struct StaticLibsScriptTests {
    private static let script = RunbookBinary.packageRoot.appendingPathComponent("scripts/static-libs").path

    @Test func linkerScriptsPointAtArchivesThatExist() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let outcome = try RunbookBinary.runProgram(Self.script, [folder.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        for name in ["libstdc++.so", "libsqlite3.so"] {
            guard let text = try? String(contentsOfFile: folder.file(name), encoding: .utf8) else { continue }
            // INPUT(/usr/lib/.../libX.a)
            #expect(text.hasPrefix("INPUT(/") && text.hasSuffix(".a)\n"), "\(name): \(text)")
            let archive = String(text.dropFirst("INPUT(".count).dropLast(")\n".count))
            #expect(FileManager.default.fileExists(atPath: archive), "\(name) points at \(archive)")
        }
        if let pc = try? String(contentsOfFile: folder.file("sqlite3.pc"), encoding: .utf8) {
            #expect(pc.hasPrefix("libdir=\(folder.path)\n"))
            #expect(pc.contains("Libs: -L${libdir} -lsqlite3"))
        }
    }

    @Test func missingArchivesLeaveTheLibrariesShared() throws {
        let folder = try TemporaryDirectory()
        let tools = try TemporaryDirectory()
        defer {
            folder.remove()
            tools.remove()
        }
        // A gcc and a pkg-config that know of no archive, as on a machine without the static ones.
        for tool in ["gcc", "pkg-config"] {
            let path = tools.file(tool)
            try "#!/bin/sh\nexit 1\n".write(toFile: path, atomically: true, encoding: .utf8)
            #expect(chmod(path, 0o755) == 0)
        }
        // What an earlier run left is not kept.
        try "INPUT(/gone/libsqlite3.a)\n".write(toFile: folder.file("libsqlite3.so"), atomically: true, encoding: .utf8)
        let path = tools.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let outcome = try RunbookBinary.runProgram(Self.script, [folder.path], environment: ["PATH": path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
}
