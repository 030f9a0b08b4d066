/// Reads the start of a stored line token by token, without decoding strings.
struct LineScanner {
    /// A JSON value that may be a string or `null`.
    enum OptionalString {
        /// A string token: its contents between the quotes, still escaped.
        case string(UnsafeBufferPointer<UInt8>)
        /// `null`.
        case null
        /// Anything else.
        case invalid
    }

    /// The line.
    let line: UnsafeBufferPointer<UInt8>
    /// The next byte to read.
    private(set) var position = 0

    /// Creates a scanner at the start of `line`.
    init(line: UnsafeBufferPointer<UInt8>) {
        self.line = line
    }

    /// Consumes `literal` if the line continues with it.
    mutating func expect(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard position + count <= line.count else { return false }
        let bytes = UnsafeBufferPointer(start: literal.utf8Start, count: count)
        for index in 0..<count where line[position + index] != bytes[index] {
            return false
        }
        position += count
        return true
    }

    /// Consumes an integer (optional `-`, then digits) and returns it, or nil when there is none or it overflows.
    mutating func integer() -> Int64? {
        var index = position
        let negative = index < line.count && line[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        let firstDigit = index
        var value: Int64 = 0
        while index < line.count, line[index] >= UInt8(ascii: "0"), line[index] <= UInt8(ascii: "9") {
            let digit = Int64(line[index] - UInt8(ascii: "0"))
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, carry) = shifted.addingReportingOverflow(digit)
            guard !overflow, !carry else { return nil }
            value = sum
            index += 1
        }
        guard index > firstDigit else { return nil }
        position = index
        return negative ? -value : value
    }

    /// Consumes a string token and returns its contents between the quotes, still escaped.
    mutating func string() -> UnsafeBufferPointer<UInt8>? {
        guard position < line.count, line[position] == UInt8(ascii: "\"") else { return nil }
        var index = position + 1
        while index < line.count {
            switch line[index] {
            case UInt8(ascii: "\""):
                let contents = UnsafeBufferPointer(rebasing: line[(position + 1)..<index])
                position = index + 1
                return contents
            case UInt8(ascii: "\\"):
                index += 2
            default:
                index += 1
            }
        }
        return nil
    }

    /// Consumes a string token or `null`.
    mutating func optionalString() -> OptionalString {
        if expect("null") { return .null }
        return string().map { .string($0) } ?? .invalid
    }
}
