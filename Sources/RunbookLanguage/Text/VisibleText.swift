/// Recorded text made safe to print: every character that could break a line, move the cursor, start a terminal
/// escape sequence, or reorder or hide text is written as a visible escape, so one record stays one visible line and
/// nothing in it can pass for the program's own output.
///
/// Escaped:
/// - LF, CR and TAB as `\n`, `\r`, `\t`; the other C0 controls (U+0000–U+001F, ESC among them) and DEL as `\xHH`
///   (`\x1b`, `\x7f`);
/// - C1 controls (U+0080–U+009F), the bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E,
///   U+2066–U+2069), the line and paragraph separators U+2028 and U+2029, and the other invisible format characters
///   (U+00AD, U+180E, U+200B, U+2060–U+206F, U+FEFF, U+FFF9–U+FFFB, U+1BCA0–U+1BCA3, U+1D173–U+1D17A and the tags
///   U+E0000–U+E007F) as `\u{H…}` (`\u{202e}`);
/// - a backslash as `\\` when what follows it would otherwise read as one of these escapes (a `\`, `n`, `r`, `t`,
///   `x`, `u` or an escaped character); any other backslash stays as it is (`C:\Users`, `\d+`).
///
/// So the escaped text reads back unambiguously: `\\` is a backslash, the forms above are their characters, and a
/// backslash before anything else is itself. Letters of every script, emoji and their joiners (U+200C, U+200D) and
/// variation selectors are kept.
public enum VisibleText {
    /// Layout characters that may stay as they are, for output whose format handles them.
    public struct Kept: OptionSet, Sendable {
        /// The set's bits.
        public let rawValue: UInt8

        /// The set with `rawValue`'s bits.
        public init(rawValue: UInt8) {
            self.rawValue = rawValue
        }

        /// TAB (U+0009): it moves the cursor right but cannot break a line or overwrite text.
        public static let tabs = Kept(rawValue: 1)
        /// LF and CR, for formats that quote or convert line breaks themselves (Markdown, CSV, HTML).
        public static let lineBreaks = Kept(rawValue: 2)
    }

    /// `text` with every character listed in ``VisibleText`` escaped, except those `kept`; `text` itself (no copy)
    /// when there is nothing to escape.
    public static func escaped(_ text: String, keeping kept: Kept = []) -> String {
        let clean = text.utf8.withContiguousStorageIfAvailable { isClean($0, keeping: kept) } ?? false
        return clean ? text : rewritten(text, keeping: kept)
    }

    /// Whether `scalar` is written as an escape, unless `kept`.
    public static func isEscaped(_ scalar: Unicode.Scalar, keeping kept: Kept = []) -> Bool {
        switch scalar.value {
        case 0x09: !kept.contains(.tabs)
        case 0x0A, 0x0D: !kept.contains(.lineBreaks)
        case 0x00...0x1F, 0x7F...0x9F, 0xAD, 0x061C, 0x180E, 0x200B, 0x200E, 0x200F, 0x2028...0x202E,
            0x2060...0x206F, 0xFEFF, 0xFFF9...0xFFFB, 0x1BCA0...0x1BCA3, 0x1D173...0x1D17A, 0xE0000...0xE007F:
            true
        default: false
        }
    }

    /// Whether the UTF-8 `bytes` print as they are: one pass, the ASCII bytes decided without decoding.
    private static func isClean(_ bytes: UnsafeBufferPointer<UInt8>, keeping kept: Kept) -> Bool {
        var index = 0
        var afterBackslash = false
        while index < bytes.count {
            let byte = bytes[index]
            let scalar: Unicode.Scalar
            if byte < 0x80 {
                if byte >= 0x20, byte < 0x7F, !afterBackslash, byte != UInt8(ascii: "\\") {
                    index += 1
                    continue
                }
                scalar = Unicode.Scalar(byte)
                index += 1
            } else {
                let (decoded, length) = decode(bytes, at: index)
                scalar = decoded
                index += length
            }
            if isEscaped(scalar, keeping: kept) || afterBackslash && readsAsEscape(scalar) { return false }
            afterBackslash = scalar == "\\"
        }
        return true
    }

    /// The scalar whose encoding starts at `index` of valid UTF-8, and how many bytes it takes.
    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (Unicode.Scalar, Int) {
        let lead = UInt32(bytes[index])
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        var value = lead & (0x7F >> length)
        for offset in 1..<length where index + offset < bytes.count {
            value = value << 6 | UInt32(bytes[index + offset] & 0x3F)
        }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    /// `text` rebuilt with its escapes.
    private static func rewritten(_ text: String, keeping kept: Kept) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count + 16)
        var scalars = text.unicodeScalars.makeIterator()
        var next = scalars.next()
        while let scalar = next {
            next = scalars.next()
            if scalar == "\\" {
                let doubled = next.map { readsAsEscape($0) || isEscaped($0, keeping: kept) } ?? false
                output += doubled ? "\\\\" : "\\"
            } else if isEscaped(scalar, keeping: kept) {
                output += escape(of: scalar)
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// Whether a backslash before `scalar` would read as the start of an escape.
    private static func readsAsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\\", "n", "r", "t", "x", "u": true
        default: false
        }
    }

    /// The visible form of an escaped `scalar`.
    private static func escape(of scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        default:
            let hex = String(scalar.value, radix: 16)
            if scalar.value < 0x80 { return "\\x" + (hex.count < 2 ? "0" : "") + hex }
            return "\\u{" + hex + "}"
        }
    }
}
