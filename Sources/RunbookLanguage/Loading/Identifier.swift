/// The identifier rules of the runbook format.
enum Identifier {
    /// `[a-z0-9][a-z0-9-]*`: runbook names.
    static func isRunbookName(_ text: String) -> Bool { matches(text, allowsUnderscore: false) }

    /// `[a-z0-9][a-z0-9_-]*`: step ids.
    static func isStepID(_ text: String) -> Bool { matches(text, allowsUnderscore: true) }

    /// `[A-Za-z0-9][A-Za-z0-9:/._@-]*`: a step's `lock:` (``Step/lockNamePattern``).
    static func isLockName(_ text: String) -> Bool {
        guard let first = text.utf8.first, isLetter(first) || isDigit(first) else { return false }
        return text.utf8.allSatisfy { isLetter($0) || isDigit($0) || ":/._@-".utf8.contains($0) }
    }

    /// `[A-Za-z_][A-Za-z0-9_-]*`: input names, which expressions read as `inputs.NAME`.
    static func isInputName(_ text: String) -> Bool {
        guard let first = text.utf8.first, isLetter(first) || first == UInt8(ascii: "_") else { return false }
        return text.utf8.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    private static func matches(_ text: String, allowsUnderscore: Bool) -> Bool {
        guard let first = text.utf8.first, isLower(first) || isDigit(first) else { return false }
        return text.utf8.allSatisfy {
            isLower($0) || isDigit($0) || $0 == UInt8(ascii: "-") || (allowsUnderscore && $0 == UInt8(ascii: "_"))
        }
    }

    private static func isLower(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) }
    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
    private static func isLetter(_ byte: UInt8) -> Bool {
        isLower(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}
