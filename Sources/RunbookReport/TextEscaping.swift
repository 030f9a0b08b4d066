import Foundation
import RunbookLanguage

/// Escaping for the formats whose templates cannot rely on Mustache's HTML escaping, and trimming of long text.
///
/// Templates reach these through derived names: for any text field `x`, `x_md` is ``markdown(_:)`` of it and `x_csv`
/// is ``csv(_:)`` of it (see ``TemplateNode``).
public enum TextEscaping {
    /// Characters of free text kept before ``trim(_:limit:)`` cuts it.
    public static let textLimit = 2_000

    /// `text` cut to `limit` characters, followed by `… (trimmed, N more characters)` when it was longer.
    public static func trim(_ text: String, limit: Int = textLimit) -> String {
        guard text.utf8.count > limit else { return text }
        var kept = 0
        var index = text.startIndex
        while kept < limit, index < text.endIndex {
            index = text.index(after: index)
            kept += 1
        }
        guard index < text.endIndex else { return text }
        let rest = text[index...].count
        return String(text[..<index]) + "… (trimmed, \(rest) more characters)"
    }

    /// `text` safe inside a Markdown paragraph, list item or table cell: `\`, `|`, backticks and Markdown's
    /// emphasis, link and heading characters are backslash-escaped, `&`, `<` and `>` become entities (so `<script>`
    /// stays text), line breaks become `<br>` (a table row stays one line), and the other control and invisible
    /// characters are shown with ``VisibleText``'s escapes (`\x1b`, `\u{202e}`), whose backslash is then escaped too.
    public static func markdown(_ text: String) -> String {
        var text = VisibleText.escaped(text, keeping: .lineBreaks)
        return text.withUTF8 { bytes in
            guard bytes.contains(where: { markdownSpecial[Int($0)] }) || bytes.first == UInt8(ascii: "-")
                || bytes.first == UInt8(ascii: "+")
            else { return String(decoding: bytes, as: UTF8.self) }
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count + 16)
            for (index, byte) in bytes.enumerated() {
                switch byte {
                case UInt8(ascii: "&"): output.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "<"): output.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): output.append(contentsOf: "&gt;".utf8)
                case UInt8(ascii: "\n"): output.append(contentsOf: "<br>".utf8)
                case UInt8(ascii: "\r"): break
                case UInt8(ascii: "-"), UInt8(ascii: "+"):
                    if index == 0 { output.append(UInt8(ascii: "\\")) }
                    output.append(byte)
                default:
                    if markdownSpecial[Int(byte)] { output.append(UInt8(ascii: "\\")) }
                    output.append(byte)
                }
            }
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// The bytes ``markdown(_:)`` escapes wherever they are.
    private static let markdownSpecial: [Bool] = (0..<256).map { "\\|`*_[]#~&<>\n\r".utf8.contains(UInt8($0)) }

    /// `text` as one CSV field (RFC 4180), safe to open in a spreadsheet.
    ///
    /// A field that starts with `=`, `+`, `-`, `@`, a tab or a carriage return, which a spreadsheet would read as a
    /// formula, gets a `'` in front and is quoted (OWASP's rule against CSV injection). A field is quoted, with its
    /// quotes doubled, when it holds a comma, a semicolon (the separator of some spreadsheets' locales), a quote or a
    /// line break, has leading or trailing spaces, or was neutralised; it is as it is otherwise. Control and
    /// invisible characters other than tabs and line breaks are shown with ``VisibleText``'s escapes.
    public static func csv(_ text: String) -> String {
        let visible = VisibleText.escaped(text, keeping: [.tabs, .lineBreaks])
        let formula = visible.utf8.first.map { csvFormulaStart[Int($0)] } ?? false
        let needsQuotes = formula || visible.utf8.contains { csvQuoted[Int($0)] } || visible.first == " "
            || visible.last == " "
        guard needsQuotes else { return visible }
        return "\"" + (formula ? "'" : "") + visible.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The first bytes that make a spreadsheet read a field as a formula.
    private static let csvFormulaStart: [Bool] = (0..<256).map { "=+-@\t\r".utf8.contains(UInt8($0)) }

    /// The bytes that make ``csv(_:)`` quote a field wherever they are.
    private static let csvQuoted: [Bool] = (0..<256).map { ",;\"\n\r".utf8.contains(UInt8($0)) }
}
