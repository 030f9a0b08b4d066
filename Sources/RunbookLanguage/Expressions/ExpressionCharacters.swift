/// The ASCII character classes of the expression language, tested on UTF-8 bytes.
enum ExpressionCharacters {
    /// Whether `byte` is a space, tab, line feed or carriage return.
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// Whether `byte` may continue a name: an ASCII letter, digit, `_` or `-`.
    static func isNameContinuation(_ byte: UInt8) -> Bool {
        isNameStart(byte) || decimalDigit(byte) != nil || byte == UInt8(ascii: "-")
    }

    /// Whether `byte` may start a name: an ASCII letter or `_`.
    static func isNameStart(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20
        return (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_")
    }

    /// The value of an ASCII decimal digit, or `nil`.
    static func decimalDigit(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }
}
