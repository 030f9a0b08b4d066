/// One shell word as the scanner read it: what is known of its text, and the values written in it.
struct ShellWord: Sendable {
    /// The word after quote removal, while it has no expansion and no value in it; nil otherwise.
    var literal: [UInt8]? = []
    /// Whether any quoting (`'`, `"`, `\`, `$'`) was used; reserved words and heredoc delimiters care.
    var quoted = false
    /// Whether some text that is certainly not empty has been read.
    var hasText = false
    /// Every value in the word, in order, those inside substitutions too.
    var values: [Int] = []
    /// The values that begin the word, each with the values before it that would have to be empty.
    var leadingValues: [(index: Int, preceding: [Int])] = []
    /// The variable assigned by a `NAME=`, `NAME+=` or `NAME[…]=` prefix.
    var assignment: String?
    /// The values inside the `[…]` of a `NAME[…]=` prefix.
    var subscriptValues: [Int] = []
    /// Set when a command substitution in the word runs something that reads its input as shell code: that input
    /// is the command's own.
    var readsCode: ShellRefusalReason?
    /// The word so far while it is an unquoted name (a possible assignment), else nil.
    var namePrefix: [UInt8]? = []

    /// The literal text, when there is one.
    var text: String? { literal.map { String(decoding: $0, as: UTF8.self) } }

    /// The literal text's last path component (`/bin/sh` → `sh`), for recognising commands.
    var commandName: String? {
        guard let literal, let slash = literal.lastIndex(of: UInt8(ascii: "/")) else { return text }
        return String(decoding: literal[(slash + 1)...], as: UTF8.self)
    }

    /// Whether the word is exactly `text`, unquoted: how reserved words are recognised.
    func isReserved(_ text: String) -> Bool {
        !quoted && literal.map { $0.elementsEqual(text.utf8) } == true
    }

    /// Records literal text (not empty).
    mutating func append(_ byte: UInt8) {
        literal?.append(byte)
        hasText = true
    }

    /// Records an expansion whose result is not known, such as `$name` or `$(…)`.
    mutating func expands() {
        literal = nil
        namePrefix = nil
    }

    /// Records the value `index` written directly in the word.
    mutating func meet(_ index: Int) {
        if !hasText {
            leadingValues.append((index, leadingValues.map(\.index)))
        }
        expands()
    }
}
