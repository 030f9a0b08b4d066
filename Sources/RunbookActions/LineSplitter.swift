/// Splits a byte stream into lines as the bytes arrive, for live output.
struct LineSplitter: Sendable {
    /// A line longer than this is passed on in pieces of this size, so a stream without newlines cannot grow the
    /// buffer without bound.
    let maxLineBytes: Int
    private var pending: [UInt8] = []

    /// A splitter that breaks lines longer than `maxLineBytes`.
    init(maxLineBytes: Int = 64 * 1024) {
        self.maxLineBytes = maxLineBytes
    }

    /// The complete lines in `chunk` (with what came before it), without their `\n` or `\r\n`.
    mutating func feed(_ chunk: some Sequence<UInt8>) -> [String] {
        var lines: [String] = []
        for byte in chunk {
            if byte == UInt8(ascii: "\n") {
                lines.append(takeLine())
            } else {
                pending.append(byte)
                if pending.count >= maxLineBytes { lines.append(takeLine()) }
            }
        }
        return lines
    }

    /// The last line when the stream ended without a newline.
    mutating func finish() -> String? {
        pending.isEmpty ? nil : takeLine()
    }

    private mutating func takeLine() -> String {
        if pending.last == UInt8(ascii: "\r") { pending.removeLast() }
        defer { pending.removeAll(keepingCapacity: true) }
        return String(decoding: pending, as: UTF8.self)
    }
}
