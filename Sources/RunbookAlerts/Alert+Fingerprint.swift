import Crypto

extension Alert {
    /// The fingerprint of an alert whose sender gives none: the SHA-256 of its labels, as 64 lowercase hex digits.
    ///
    /// The hashed bytes are, for each label in ascending UTF-8 byte order of the names, the name's UTF-8 bytes,
    /// a 0xFF byte, the value's UTF-8 bytes and a 0xFF byte. 0xFF never occurs in UTF-8, so no two different
    /// label sets hash the same bytes (Prometheus separates labels the same way).
    public static func labelFingerprint(of labels: [String: String]) -> String {
        var hash = SHA256()
        for name in labels.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            hash.update(data: Array(name.utf8) + [0xFF] + Array((labels[name] ?? "").utf8) + [0xFF])
        }
        return hash.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return byte < 0x10 ? "0" + hex : hex
        }.joined()
    }
}
