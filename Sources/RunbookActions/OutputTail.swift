/// The last bytes of an output stream, and how many came before them, for outputs that must stay small.
struct OutputTail: Sendable {
    /// How many bytes are kept.
    let limit: Int
    /// At least the last `limit` bytes seen; trimmed in batches so appending stays cheap.
    private var bytes: [UInt8] = []
    /// Bytes already dropped from the front.
    private var dropped = 0

    /// An empty tail that keeps the last `limit` bytes.
    init(limit: Int) {
        self.limit = limit
    }

    /// Adds bytes at the end.
    mutating func append(_ chunk: some Sequence<UInt8>) {
        bytes.append(contentsOf: chunk)
        if bytes.count > limit * 2 {
            let excess = bytes.count - limit
            bytes.removeFirst(excess)
            dropped += excess
        }
    }

    /// The kept text with trailing newlines removed (as `$(…)` does), led by `…[truncated N bytes]` and a newline
    /// when the beginning was dropped.
    var text: String {
        var kept = bytes.suffix(limit)
        var droppedCount = dropped + bytes.count - kept.count
        if droppedCount > 0 {
            // Start on a character boundary rather than in the middle of a UTF-8 sequence.
            while let first = kept.first, first & 0xC0 == 0x80 {
                kept = kept.dropFirst()
                droppedCount += 1
            }
        }
        while let last = kept.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") {
            kept = kept.dropLast()
        }
        let text = String(decoding: kept, as: UTF8.self)
        return droppedCount > 0 ? "…[truncated \(droppedCount) bytes]\n" + text : text
    }
}
