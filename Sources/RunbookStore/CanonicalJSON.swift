import RunbookLanguage

/// The canonical JSON form the audit chain hashes: one byte sequence per value, so any implementation that follows
/// these rules computes the same hash.
///
/// - Objects have their keys sorted by their UTF-8 bytes (the same as code-point order); arrays keep their order.
/// - No insignificant whitespace.
/// - Strings are UTF-8; `"` and `\` are escaped, as are control characters: `\b \f \n \r \t` by their short form,
///   the others as `\u00XX` with lowercase hex. Nothing else is escaped.
/// - Integral numbers below 2^53 in magnitude print without a fraction (`-0` prints `0`); other numbers print the
///   shortest text that reads back as the same double (`0.1`, `1e+16`); `NaN` and infinities print `null`.
enum CanonicalJSON {
    /// The canonical JSON text of `value`.
    static func string(_ value: Value) -> String {
        var output: [UInt8] = []
        append(value, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the canonical JSON of `value` to `output`.
    /// - Returns: `false` when the text does not read back as `value` because a `NaN` or infinity became `null`.
    @discardableResult
    static func append(_ value: Value, to output: inout [UInt8]) -> Bool {
        switch value {
        case .null:
            output.append(contentsOf: nullLiteral)
            return true
        case .bool(let flag):
            output.append(contentsOf: flag ? trueLiteral : falseLiteral)
            return true
        case .number(let number):
            return appendNumber(number, to: &output)
        case .string(let text):
            appendString(text, to: &output)
            return true
        case .array(let elements):
            var exact = true
            output.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                exact = append(element, to: &output) && exact
            }
            output.append(UInt8(ascii: "]"))
            return exact
        case .object(let members):
            var exact = true
            output.append(UInt8(ascii: "{"))
            for (position, member) in members.sorted(by: { precedes($0.key, $1.key) }).enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                appendString(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                exact = append(member.value, to: &output) && exact
            }
            output.append(UInt8(ascii: "}"))
            return exact
        }
    }

    /// Whether `lhs` sorts before `rhs` by UTF-8 bytes (the same as code-point order).
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        let fast = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right in
                let common = min(left.count, right.count)
                for index in 0..<common where left[index] != right[index] {
                    return left[index] < right[index]
                }
                return left.count < right.count
            }
        }
        return (fast ?? nil) ?? lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    /// `value` as its canonical JSON reads back: `NaN` and infinities become `null`.
    static func normalized(_ value: Value) -> Value {
        switch value {
        case .number(let number) where !number.isFinite: .null
        case .array(let elements): .array(elements.map(normalized))
        case .object(let members): .object(members.mapValues(normalized))
        default: value
        }
    }

    /// Appends `number`.
    /// - Returns: `false` when it is `NaN` or infinite and was written as `null`.
    static func appendNumber(_ number: Double, to output: inout [UInt8]) -> Bool {
        guard number.isFinite else {
            output.append(contentsOf: nullLiteral)
            return false
        }
        if abs(number) < 9_007_199_254_740_992, number.rounded(.towardZero) == number {
            appendInteger(Int64(number), to: &output)
        } else {
            output.append(contentsOf: number.description.utf8)
        }
        return true
    }

    /// Appends the decimal digits of `number`.
    static func appendInteger(_ number: Int64, to output: inout [UInt8]) {
        if number < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        let start = output.count
        repeat {
            output.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        output[start...].reverse()
    }

    /// Appends `text` as a quoted, escaped JSON string.
    static func appendString(_ text: String, to output: inout [UInt8]) {
        var text = text
        output.append(UInt8(ascii: "\""))
        text.withUTF8 { bytes in appendEscaped(bytes, to: &output) }
        output.append(UInt8(ascii: "\""))
    }

    /// Appends UTF-8 `bytes` escaped for the inside of a JSON string, copying runs that need no escape at once.
    static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        var runStart = 0
        for index in bytes.indices {
            let byte = bytes[index]
            guard needsEscape(byte) else { continue }
            if runStart < index {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            }
            appendEscape(for: byte, to: &output)
            runStart = index + 1
        }
        if runStart < bytes.count {
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
    }

    /// Whether `byte` must be escaped inside a JSON string.
    @inline(__always)
    static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// Appends the escape sequence for a byte that ``needsEscape(_:)``.
    static func appendEscape(for byte: UInt8, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): output.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\"))
        case 0x08: output.append(UInt8(ascii: "b"))
        case 0x0C: output.append(UInt8(ascii: "f"))
        case 0x0A: output.append(UInt8(ascii: "n"))
        case 0x0D: output.append(UInt8(ascii: "r"))
        case 0x09: output.append(UInt8(ascii: "t"))
        default:
            output.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            output.append(hexDigits[Int(byte >> 4)])
            output.append(hexDigits[Int(byte & 0x0F)])
        }
    }

    /// Lowercase hexadecimal digits.
    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private static let nullLiteral: [UInt8] = Array("null".utf8)
    private static let trueLiteral: [UInt8] = Array("true".utf8)
    private static let falseLiteral: [UInt8] = Array("false".utf8)
}
