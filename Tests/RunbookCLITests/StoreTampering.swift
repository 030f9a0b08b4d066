import Foundation
import RunbookTestPeers

/// Replaces the first occurrence of `original` in a store's database file by `replacement` of the same length, as
/// someone editing the database by hand would.
///
/// The store leaves its write-ahead log in place between commands, so the pages are first moved out of the log into
/// the database file (with Python's sqlite3, not the code under test): otherwise the change would be shadowed by a
/// newer copy of its page in the log.
func tamper(_ path: String, replacing original: String, with replacement: String) throws {
    let checkpoint = try RunbookBinary.runProgram("/usr/bin/env", [
        "python3", "-c",
        "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA wal_checkpoint(TRUNCATE)'); c.close()",
        path,
    ])
    guard checkpoint.status == 0 else {
        throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "checkpoint failed: \(checkpoint.stderr)"])
    }
    var data = try Data(contentsOf: URL(fileURLWithPath: path))
    guard original.utf8.count == replacement.utf8.count, let range = data.range(of: Data(original.utf8)) else {
        throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "'\(original)' is not in \(path)"])
    }
    data.replaceSubrange(range, with: Data(replacement.utf8))
    try data.write(to: URL(fileURLWithPath: path))
}
