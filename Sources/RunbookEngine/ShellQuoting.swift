import Foundation
import RunbookLanguage

/// Writes values into a shell command for people to read: gates, `--dry-run`, the audit log. Commands never run in
/// this form; the shell gets each value in an environment variable (see ``ShellScript``).
public enum ShellQuoting {
    /// `text` as one POSIX shell word: in single quotes, each `'` written as `'\''`; the empty string becomes `''`.
    public static func quote(_ text: String) -> String {
        if !text.isEmpty, text.utf8.allSatisfy(isSafe) { return text }
        return "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// `text` written for a place of kind `context`: a quoted word, or escaped for double quotes or a heredoc.
    public static func shown(_ text: String, in context: ShellValuePlacement.Context) -> String {
        switch context {
        case .word, .comment: quote(text)
        case .doubleQuoted: escaped(text, special: #"\"$`"#)
        case .heredoc: escaped(text, special: #"\$`"#)
        }
    }

    private static func escaped(_ text: String, special: String) -> String {
        guard text.contains(where: special.contains) else { return text }
        var output = ""
        for character in text {
            if special.contains(character) { output.append("\\") }
            output.append(character)
        }
        return output
    }

    private static func isSafe(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
             UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "@"), UInt8(ascii: "%"),
             UInt8(ascii: "+"), UInt8(ascii: "="):
            true
        default:
            false
        }
    }
}
