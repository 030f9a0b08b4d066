import Foundation

/// The file a `shell` step writes its outputs to, named by `$RUNBOOK_OUTPUT`, as GitHub Actions' `$GITHUB_OUTPUT`.
///
/// Each output is a `key=value` line, or a multi-line value written `key<<DELIMITER`, the lines, then `DELIMITER`
/// alone on a line.
struct RunbookOutputFile: Sendable {
    /// Where the file is.
    let path: String

    /// Creates a fresh, empty file only this user can read.
    static func create() throws(ActionFailure) -> RunbookOutputFile {
        let directory = FileManager.default.temporaryDirectory.path
        let path = "\(directory)/runbook-output-\(String(UInt64.random(in: 0...UInt64.max), radix: 16))"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw ActionFailure("shell: could not create the output file \(path) (\(String(cString: strerror(errno))));"
                                + " check that \(directory) is writable")
        }
        close(descriptor)
        return RunbookOutputFile(path: path)
    }

    /// The outputs written so far; an unreadable file has none.
    func read() -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        return Self.parse(String(decoding: data, as: UTF8.self))
    }

    /// Deletes the file.
    func remove() {
        unlink(path)
    }

    /// The outputs in `text`; lines that are neither form are ignored, and a later value wins.
    static func parse(_ text: String) -> [String: String] {
        var outputs: [String: String] = [:]
        // Split on LF alone: as a Character, "\r\n" is one grapheme, and other line breaks may be part of a value.
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { scalars in
            let line = Substring(scalars)
            return line.unicodeScalars.last == "\r" ? Substring(line.unicodeScalars.dropLast()) : line
        }[...]
        while let line = lines.popFirst() {
            let equals = line.firstIndex(of: "=")
            if let heredoc = line.firstRange(of: "<<"), equals.map({ heredoc.lowerBound < $0 }) ?? true {
                let key = String(line[..<heredoc.lowerBound])
                let delimiter = line[heredoc.upperBound...]
                guard !key.isEmpty, !delimiter.isEmpty else { continue }
                var value: [Substring] = []
                while let next = lines.popFirst(), next != delimiter {
                    value.append(next)
                }
                outputs[key] = value.joined(separator: "\n")
            } else if let equals, equals > line.startIndex {
                outputs[String(line[..<equals])] = String(line[line.index(after: equals)...])
            }
        }
        return outputs
    }
}
