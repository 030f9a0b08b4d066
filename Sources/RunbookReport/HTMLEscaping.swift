import Mustache
import RunbookLanguage

/// Mustache's HTML escaping (`&`, `<`, `>`, `"`, `'` as entities), working on UTF-8 bytes: several times faster than
/// the library's own, which looks every character up in a dictionary. Templates opt in with
/// `{{% CONTENT_TYPE: HTML}}` once ``register()`` has run. Unlike the library's, it also shows control and invisible
/// characters other than tabs and line breaks (ESC, the bidirectional controls) with ``VisibleText``'s escapes, so
/// recorded text cannot reorder or hide what a page shows.
struct HTMLEscaping: MustacheContentType {
    /// Makes `{{% CONTENT_TYPE: HTML}}` use this escaping; done once, before the first render.
    static let register: Void = MustacheContentTypes.register(HTMLEscaping(), named: "HTML")

    func escapeText(_ text: String) -> String {
        var text = VisibleText.escaped(text, keeping: [.tabs, .lineBreaks])
        return text.withUTF8 { bytes in
            guard bytes.contains(where: Self.needsEscape) else { return String(decoding: bytes, as: UTF8.self) }
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count + 16)
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "&"): output.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "<"): output.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): output.append(contentsOf: "&gt;".utf8)
                case UInt8(ascii: "\""): output.append(contentsOf: "&quot;".utf8)
                case UInt8(ascii: "'"): output.append(contentsOf: "&#39;".utf8)
                default: output.append(byte)
                }
            }
            return String(decoding: output, as: UTF8.self)
        }
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
            || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }
}
