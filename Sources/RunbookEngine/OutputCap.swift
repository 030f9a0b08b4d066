import RunbookLanguage

/// The largest text an event keeps of one output of a step.
enum OutputCap {
    /// The most bytes kept of one output.
    static let bytes = 64 * 1_024

    /// `value`'s fields with every string cut to its last ``bytes``, marked as cut.
    static func apply(_ value: Value) -> [String: Value] {
        guard case .object(let fields) = value else { return [:] }
        return fields.mapValues { field in
            // Actions cap their own outputs at the same size with a marker; leave room for it.
            guard case .string(let text) = field, text.utf8.count > bytes + 256 else { return field }
            let kept = String(decoding: text.utf8.suffix(bytes), as: UTF8.self)
            return .string("…[truncated \(text.utf8.count - bytes) bytes]\n" + kept)
        }
    }
}
