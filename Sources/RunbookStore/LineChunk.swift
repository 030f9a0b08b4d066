/// A run of consecutive stored lines copied out of the database, so their hashes can be checked on another thread
/// while the next rows are read.
struct LineChunk: Sendable {
    /// The lines, back to back.
    private var bytes: [UInt8] = []
    /// Where each line ends in `bytes`.
    private var ends: [Int] = []
    /// Each line's sequence number.
    private var seqs: [Int64] = []
    /// How many records were read before this chunk's first line.
    let startPosition: Int64

    /// Creates an empty chunk whose first line is record number `startPosition + 1` of the scan.
    init(startPosition: Int64, expectedLines: Int) {
        self.startPosition = startPosition
        bytes.reserveCapacity(expectedLines * 320)
        ends.reserveCapacity(expectedLines)
        seqs.reserveCapacity(expectedLines)
    }

    /// The number of lines.
    var count: Int { seqs.count }

    /// Adds a line that has passed ``ChainVerifier/hasTrailer(_:)``.
    mutating func append(seq: Int64, line: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: line)
        ends.append(bytes.count)
        seqs.append(seq)
    }

    /// The first line whose stored hash is not its recomputed hash, as a finding, or nil.
    func firstHashMismatch() -> ChainVerifier.Finding? {
        bytes.withUnsafeBufferPointer { all in
            var start = 0
            for index in ends.indices {
                let line = UnsafeBufferPointer(rebasing: all[start..<ends[index]])
                start = ends[index]
                if !ChainVerifier.hashMatches(line: line) {
                    return ChainVerifier.Finding(
                        seq: seqs[index], position: startPosition + Int64(index) + 1, kind: .hash,
                        problem: "hash mismatch")
                }
            }
            return nil
        }
    }
}
