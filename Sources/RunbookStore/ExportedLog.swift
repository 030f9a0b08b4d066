import Foundation

/// A log written by `runbook audit export`: one stored line a record, read back for offline verification.
public enum ExportedLog {
    /// The records of the NDJSON file at `path`, exactly as written (blank lines skipped).
    /// - Throws: ``StoreError`` naming the file and line when it cannot be read or a line is not an event.
    public static func read(path: String) throws(StoreError) -> [AuditEvent] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StoreError("cannot read the exported log \(path)", code: .unavailable)
        }
        var events: [AuditEvent] = []
        for (index, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated()
        where !line.isEmpty {
            do throws(StoreError) {
                events.append(try AuditEvent(storedLine: String(line), seq: Int64(index + 1), store: path))
            } catch {
                throw StoreError("\(path):\(index + 1): not an event of the log: \(error.message)", code: .corrupt)
            }
        }
        return events
    }
}
