/// Reading and printing numbers, shared by the lexer (number literals) and `Value` (numeric strings
/// and template text). Works on UTF-8 bytes so the hot path needs no Foundation.
enum NumberSyntax {
    /// The result of scanning a number literal.
    enum Scan: Equatable {
        /// A well-formed literal ending before byte index `end`.
        case number(Double, end: Int)
        /// A malformed literal ending before byte index `end`, with the reason.
        case malformed(end: Int, reason: String)
    }

    /// Scans a number literal starting at `start`: `-`? then `0x` hex digits, or digits with an
    /// optional `.digits` fraction and `e[+-]digits` exponent. It must not run into a letter, digit
    /// or `_` (so `1abc` and `0x1G` are malformed rather than a number followed by a name).
    /// - Precondition: `bytes[start]` is a digit, or `-` followed by a digit.
    static func scan<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, from start: Int, to end: Int) -> Scan
    where Bytes.Index == Int {
        var index = start
        var negative = false
        if index < end, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        if index + 1 < end, bytes[index] == UInt8(ascii: "0"), bytes[index + 1] | 0x20 == UInt8(ascii: "x") {
            return scanHex(bytes, digitsFrom: index + 2, to: end, negative: negative)
        }
        var integer: Double = 0
        var integerDigits = 0
        while index < end, let digit = ExpressionCharacters.decimalDigit(bytes[index]) {
            integer = integer * 10 + Double(digit)
            integerDigits += 1
            index += 1
        }
        guard integerDigits > 0 else { return .malformed(end: index, reason: "expected a digit") }
        var isSimple = integerDigits <= 15
        if index + 1 < end, bytes[index] == UInt8(ascii: "."),
            ExpressionCharacters.decimalDigit(bytes[index + 1]) != nil
        {
            isSimple = false
            index += 1
            while index < end, ExpressionCharacters.decimalDigit(bytes[index]) != nil { index += 1 }
        }
        if index < end, bytes[index] | 0x20 == UInt8(ascii: "e") {
            var exponentIndex = index + 1
            if exponentIndex < end,
                bytes[exponentIndex] == UInt8(ascii: "+") || bytes[exponentIndex] == UInt8(ascii: "-")
            {
                exponentIndex += 1
            }
            if exponentIndex < end, ExpressionCharacters.decimalDigit(bytes[exponentIndex]) != nil {
                isSimple = false
                index = exponentIndex
                while index < end, ExpressionCharacters.decimalDigit(bytes[index]) != nil { index += 1 }
            }
        }
        if index < end, ExpressionCharacters.isNameContinuation(bytes[index]) {
            return .malformed(end: skipName(bytes, from: index, to: end), reason: "is not a valid number")
        }
        if isSimple {
            return .number(negative ? -integer : integer, end: index)
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            return .malformed(end: index, reason: "is too large to be a number")
        }
        return .number(value, end: index)
    }

    /// Parses a string that holds exactly one number literal, ignoring surrounding whitespace and
    /// allowing a leading `+`; returns `nil` for anything else, including the empty string.
    static func parseNumericString(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { bytes -> Double? in
            var start = 0
            var end = bytes.count
            while start < end, ExpressionCharacters.isWhitespace(bytes[start]) { start += 1 }
            while end > start, ExpressionCharacters.isWhitespace(bytes[end - 1]) { end -= 1 }
            guard start < end else { return nil }
            var digitStart = start
            if bytes[start] == UInt8(ascii: "+") {
                start += 1
                digitStart = start
            } else if bytes[start] == UInt8(ascii: "-") {
                digitStart += 1
            }
            guard digitStart < end, ExpressionCharacters.decimalDigit(bytes[digitStart]) != nil else { return nil }
            guard case .number(let value, let scanEnd) = scan(bytes, from: start, to: end), scanEnd == end else {
                return nil
            }
            return value
        }
    }

    /// Prints a number the way templates show it: integral values without a fraction (`4`, `-12`),
    /// others as the shortest text that reads back to the same `Double` (`0.5`, `1e-07`).
    static func format(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
        if number.rounded(.towardZero) == number, abs(number) < 1e18 {
            return String(Int64(number))
        }
        return number.description
    }

    /// The value of an ASCII hexadecimal digit, or `nil`.
    private static func hexDigit(_ byte: UInt8) -> Int? {
        if let digit = ExpressionCharacters.decimalDigit(byte) { return digit }
        let lower = byte | 0x20
        return lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "f") ? Int(lower - UInt8(ascii: "a")) + 10 : nil
    }

    /// The index after the name characters starting at `index`.
    private static func skipName<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, from index: Int, to end: Int)
        -> Int
    where Bytes.Index == Int {
        var index = index
        while index < end, ExpressionCharacters.isNameContinuation(bytes[index]) { index += 1 }
        return index
    }

    /// Scans the digits of a `0x` literal.
    private static func scanHex<Bytes: RandomAccessCollection<UInt8>>(
        _ bytes: Bytes, digitsFrom start: Int, to end: Int, negative: Bool
    ) -> Scan where Bytes.Index == Int {
        var index = start
        var value: Double = 0
        while index < end, let digit = hexDigit(bytes[index]) {
            value = value * 16 + Double(digit)
            index += 1
        }
        if index == start {
            return .malformed(end: skipName(bytes, from: index, to: end), reason: "needs hexadecimal digits after '0x'")
        }
        if index < end, ExpressionCharacters.isNameContinuation(bytes[index]) {
            return .malformed(end: skipName(bytes, from: index, to: end), reason: "is not a valid number")
        }
        guard value.isFinite else { return .malformed(end: index, reason: "is too large to be a number") }
        return .number(negative ? -value : value, end: index)
    }
}
