import Foundation
import RunbookTestPeers
import Testing

/// Signed checkpoints, as an auditor and an attacker would try them: a log rewritten and re-hashed after a checkpoint
/// fails verify, an exported log verifies offline with the public key, and an edited export or a wrong key fails.
@Suite("audit checkpoints", .timeLimit(.minutes(3)))
struct CheckpointTests {
    /// Rewrites the data of record `seq` and re-hashes every record from it on, dropping the append-only triggers
    /// first: what someone holding the file can do without any key.
    static let rehash = #"""
        import hashlib, sqlite3, sys
        db = sqlite3.connect(sys.argv[1]); seq = int(sys.argv[2])
        db.execute("DROP TRIGGER IF EXISTS events_are_never_updated")
        rows = db.execute("SELECT seq, line, prev FROM events WHERE seq >= ? ORDER BY seq", (seq - 1,)).fetchall()
        prev = rows[0][2] if rows[0][0] == seq else None
        for number, line, old_prev in rows:
            if number < seq:
                prev = line[-67:-3]; continue
            body = line[:-(74 + 74 + 1)]
            if number == seq: body = body.replace('"runbook"', '"forged!"', 1) if '"runbook"' in body else body + ' '
            unhashed = body + ',"prev":"' + prev + '"}'
            digest = hashlib.sha256((prev + unhashed).encode()).hexdigest()
            new_line = unhashed[:-1] + ',"hash":"' + digest + '"}'
            db.execute("UPDATE events SET line = ?, hash = ?, prev = ? WHERE seq = ?", (new_line, digest, prev, number))
            prev = digest
        db.commit()
        """#

    func signedWorkspace() throws -> TemporaryWorkspace {
        let workspace = try TemporaryWorkspace(config: "audit:\n  signing_key: keys/audit.key\n")
        try FileManager.default.createDirectory(atPath: workspace.path("keys"), withIntermediateDirectories: true)
        let keygen = try workspace.run(["audit", "keygen", "--out", workspace.path("keys/audit.key")])
        #expect(keygen.status == 0, "\(keygen.stderr)")
        let mode = try FileManager.default.attributesOfItem(atPath: workspace.path("keys/audit.key"))[.posixPermissions]
        #expect((mode as? NSNumber)?.intValue == 0o600)
        try workspace.runbook("two", "steps:\n  - { id: a, run: echo one, mutating: false }\n"
                                + "  - { id: b, run: echo two, mutating: false, needs: [a] }\n")
        #expect(try workspace.run(["exec", "two"]).status == 0)
        return workspace
    }

    @Test("a log rewritten and re-hashed before a checkpoint fails verify; the untouched log passes")
    func rewriteAfterCheckpoint() throws {
        let workspace = try signedWorkspace()
        let checkpoint = try workspace.run(["audit", "checkpoint", "--output", "json"])
        #expect(checkpoint.status == 0, "\(checkpoint.stderr)")
        try workspace.write("cp.json", checkpoint.stdout)
        let clean = try workspace.run(["audit", "verify", "--checkpoint", workspace.path("cp.json")])
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")

        let rewritten = try RunbookBinary.runProgram(
            "/usr/bin/env", ["python3", "-c", Self.rehash, workspace.path(".runbook/state.db"), "3"])
        #expect(rewritten.status == 0, "\(rewritten.stderr)")
        // The chain alone no longer tells: it was re-hashed. The checkpoint in the log, and the one kept outside, do.
        let verified = try workspace.run(["audit", "verify"])
        #expect(verified.status == 1, "\(verified.stdout)\(verified.stderr)")
        let kept = try workspace.run(["audit", "verify", "--checkpoint", workspace.path("cp.json")])
        #expect(kept.status == 1, "\(kept.stdout)\(kept.stderr)")
    }

    @Test("an export verifies offline with the public key; an edited export or another key fails")
    func offlineExport() throws {
        let workspace = try signedWorkspace()
        #expect(try workspace.run(["audit", "checkpoint"]).status == 0)
        let export = try workspace.run(["audit", "export"])
        #expect(export.status == 0)
        try workspace.write("log.ndjson", export.stdout)
        let offline = try workspace.run(
            ["audit", "verify", "--file", workspace.path("log.ndjson"), "--key", workspace.path("keys/audit.key.pub")])
        #expect(offline.status == 0, "\(offline.stdout)\(offline.stderr)")

        try workspace.write("edited.ndjson", export.stdout.replacingOccurrences(of: "echo two", with: "echo 2wo"))
        let edited = try workspace.run(
            ["audit", "verify", "--file", workspace.path("edited.ndjson"), "--key", workspace.path("keys/audit.key.pub")])
        #expect(edited.status == 1, "\(edited.stdout)\(edited.stderr)")

        #expect(try workspace.run(["audit", "keygen", "--out", workspace.path("keys/other.key")]).status == 0)
        let wrongKey = try workspace.run(
            ["audit", "verify", "--file", workspace.path("log.ndjson"), "--key", workspace.path("keys/other.key.pub")])
        #expect(wrongKey.status == 1, "\(wrongKey.stdout)\(wrongKey.stderr)")
        #expect(try workspace.run(["audit", "keygen", "--out", workspace.path("keys/audit.key")]).status != 0,
                "a key is never replaced")
    }
}
