/// Finds where a YAML text nests deeper than a limit, before a recursive composer could exhaust the stack.
///
/// The measure is an upper bound on the real nesting: open flow brackets, plus on each line the indentation and
/// the `- ` entries that start it (an indentation of two spaces, or one `- `, counts as a level). Comments and quoted text are skipped.
enum NestingScanner {
    /// The 1-based line and column where the bound first exceeds `limit`, or nil.
    static func firstTooDeep(_ text: String, limit: Int) -> (line: Int, column: Int)? {
        var flowDepth = 0
        var line = 1
        var column = 0
        var atLineStart = true
        var lineDepth = 0
        var quote: UInt8?
        var inComment = false
        var previous: UInt8 = UInt8(ascii: "\n")
        for byte in text.utf8 {
            column += 1
            defer { previous = byte }
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 0
                atLineStart = true
                lineDepth = 0
                inComment = false
                if flowDepth == 0 { quote = nil }
                continue
            }
            if inComment { continue }
            if let open = quote {
                if byte == open { quote = nil }
                continue
            }
            if atLineStart {
                if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "?") {
                    lineDepth += byte == UInt8(ascii: " ") ? 1 : 2
                    if flowDepth + lineDepth / 2 > limit { return (line, column) }
                    continue
                }
                atLineStart = false
            }
            switch byte {
            case UInt8(ascii: "#") where previous == UInt8(ascii: " ") || previous == UInt8(ascii: "\t")
                || column == 1:
                inComment = true
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                if previous == UInt8(ascii: " ") || previous == UInt8(ascii: "[") || previous == UInt8(ascii: "{")
                    || previous == UInt8(ascii: ",") || previous == UInt8(ascii: ":") || column == 1 {
                    quote = byte
                }
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                flowDepth += 1
                if flowDepth + lineDepth / 2 > limit { return (line, column) }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                flowDepth = max(0, flowDepth - 1)
            default:
                break
            }
        }
        return nil
    }
}
