import Foundation
import RunbookLanguage

/// The file a `shell` step writes its outputs to, named by `$RUNBOOK_OUTPUT`, as GitHub Actions' `$GITHUB_OUTPUT`.
///
/// Each output is a `key=value` line, or a multi-line value written `key<<DELIMITER`, the lines, then `DELIMITER`
/// alone on a line. The file stays open from its creation to its removal, and is read through that descriptor: the
/// outputs come from the file this step was given even if something replaced the path meanwhile.
struct RunbookOutputFile: Sendable {
    /// Where the file is.
    let path: String
    /// The file, open for reading.
    private let descriptor: Int32

    /// The folder the files are made in: `$TMPDIR` (read once), else `/tmp`, as `FileManager.temporaryDirectory`
    /// has it on Linux, without building a URL.
    private static let directory: String = {
        guard var folder = EnvironmentVariables.process["TMPDIR"], !folder.isEmpty else { return "/tmp" }
        while folder.count > 1, folder.hasSuffix("/") { folder.removeLast() }
        return folder
    }()

    /// Creates a fresh, empty file only this user can read.
    static func create() throws(ActionFailure) -> RunbookOutputFile {
        let path = "\(directory)/runbook-output-\(String(UInt64.random(in: 0...UInt64.max), radix: 16))"
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            throw ActionFailure("shell: could not create the output file \(path) (\(String(cString: strerror(errno))));"
                                + " check that \(directory) is writable")
        }
        return RunbookOutputFile(path: path, descriptor: descriptor)
    }

    /// The outputs written so far; an unreadable file has none.
    func read() -> [String: String] {
        // Most steps write no outputs: the size alone answers them, without a buffer.
        let size = lseek(descriptor, 0, SEEK_END)
        guard size > 0 else { return [:] }
        var bytes = [UInt8](repeating: 0, count: Int(size))
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { buffer in
                guard let base = buffer.baseAddress else { return 0 }
                return pread(descriptor, base + filled, buffer.count - filled, off_t(filled))
            }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            filled += count
        }
        return Self.parse(String(decoding: bytes[..<filled], as: UTF8.self))
    }

    /// Deletes the file and closes it.
    func remove() {
        unlink(path)
        close(descriptor)
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
