/// Reads and writes durations as runbooks spell them: `90s`, `15m`, `1h30m`, `500ms`, `2d`.
public enum DurationSyntax {
    /// The units a duration may use, largest first, with their length in milliseconds.
    static let units: [(suffix: String, milliseconds: Int64)] = [
        ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1),
    ]

    /// Parses `text` as a sequence of `<number><unit>` parts, or returns why it cannot.
    /// - Returns: the duration, or a message naming the problem and the expected form.
    public static func parse(_ text: String) -> Result<Duration, DurationSyntaxError> {
        let scalars = Array(text.unicodeScalars)
        guard !scalars.isEmpty else { return .failure(DurationSyntaxError(text: text, problem: "it is empty")) }
        var index = 0
        var total: Int64 = 0
        while index < scalars.count {
            var amount: Int64 = 0
            let start = index
            while index < scalars.count, ("0"..."9").contains(scalars[index]) {
                let digit = Int64(scalars[index].value - 48)
                let (product, overflow) = amount.multipliedReportingOverflow(by: 10)
                guard !overflow, product <= Int64.max - digit else {
                    return .failure(DurationSyntaxError(text: text, problem: "it is too long"))
                }
                amount = product + digit
                index += 1
            }
            guard index > start else {
                let problem = start == 0 && isBareUnit(scalars) ? "it has no number" : "a number was expected"
                return .failure(DurationSyntaxError(text: text, problem: problem))
            }
            var unitEnd = index
            while unitEnd < scalars.count, scalars[unitEnd].properties.isAlphabetic { unitEnd += 1 }
            let unit = String(String.UnicodeScalarView(scalars[index..<unitEnd]))
            guard !unit.isEmpty else {
                let problem = unitEnd == scalars.count && start == 0 ? "it has no unit" : "a unit was expected"
                return .failure(DurationSyntaxError(text: text, problem: problem, suggestion: "\(amount)s"))
            }
            guard let milliseconds = units.first(where: { $0.suffix == unit })?.milliseconds else {
                return .failure(DurationSyntaxError(text: text, problem: "'\(unit)' is not a unit"))
            }
            let (part, overflow) = amount.multipliedReportingOverflow(by: milliseconds)
            guard !overflow, total <= Int64.max - part else {
                return .failure(DurationSyntaxError(text: text, problem: "it is too long"))
            }
            total += part
            index = unitEnd
        }
        return .success(.milliseconds(total))
    }

    /// The shortest canonical spelling of `duration`, e.g. `1h30m`; `0s` for zero.
    public static func format(_ duration: Duration) -> String {
        var remaining = duration.components.seconds * 1_000 + duration.components.attoseconds / 1_000_000_000_000_000
        guard remaining > 0 else { return "0s" }
        var text = ""
        for (suffix, milliseconds) in units where remaining >= milliseconds {
            text += "\(remaining / milliseconds)\(suffix)"
            remaining %= milliseconds
        }
        return text
    }

    private static func isBareUnit(_ scalars: [Unicode.Scalar]) -> Bool {
        scalars.allSatisfy { $0.properties.isAlphabetic }
    }
}

/// Why a duration could not be read.
public struct DurationSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text as written.
    public var text: String
    /// What is wrong with it.
    public var problem: String
    /// A corrected spelling, when one is obvious.
    public var suggestion: String?

    /// A sentence naming the value, the problem and the accepted form.
    public var description: String {
        var message = "invalid duration '\(text)': \(problem); write a number and a unit (ms, s, m, h, d), e.g. '90s', "
            + "'15m' or '1h30m'"
        if let suggestion { message += " (did you mean '\(suggestion)'?)" }
        return message
    }
}
