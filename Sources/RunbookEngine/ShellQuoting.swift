import Foundation

/// Turns any text into exactly one POSIX shell word, so a value can never end a command or start another.
public enum ShellQuoting {
    /// `text` in single quotes, each `'` written as `'\''`; the empty string becomes `''`.
    public static func quote(_ text: String) -> String {
        if !text.isEmpty, text.utf8.allSatisfy(isSafe) { return text }
        return "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
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
