/// The `format()` pattern language: `{0}`, `{1}`, … are replaced by the arguments' text, and `{{`
/// and `}}` write literal braces.
enum FormatString {
    /// Why a pattern cannot be rendered.
    struct Problem: Error, Equatable {
        /// A sentence for the runbook author.
        let message: String

        /// A `{` at character `position` that does not start `{N}` or `{{`.
        static func invalidPlaceholder(at position: Int) -> Problem {
            Problem(
                message: "format string has an invalid placeholder at character \(position); "
                    + "write {0}, {1}, … for arguments and '{{' for a literal brace")
        }

        /// A `}` at character `position` that is not part of `{N}` or `}}`.
        static func unmatchedClosingBrace(at position: Int) -> Problem {
            Problem(
                message: "format string has an unmatched '}' at character \(position); write '}}' for a literal brace")
        }

        /// A `{index}` with no argument for it, when `available` arguments follow the pattern.
        static func missingArgument(_ index: String, available: Int) -> Problem {
            let follow =
                switch available {
                case 0: "no arguments follow it"
                case 1: "only 1 argument follows it"
                default: "only \(available) arguments follow it"
                }
            return Problem(
                message: "format string refers to argument {\(index)}, but \(follow) (they are numbered from {0})")
        }
    }

    /// Renders `pattern` with `arguments` converted by `Value.stringValue`.
    /// - Returns: The text, or the problem with the pattern: an unmatched brace, a placeholder that
    ///   is not a number, or an index with no argument.
    static func render(_ pattern: String, arguments: [Value]) -> Result<String, Problem> {
        var output = ""
        let scalars = Array(pattern.unicodeScalars)
        var position = 0
        while position < scalars.count {
            let scalar = scalars[position]
            switch scalar {
            case "{":
                if position + 1 < scalars.count, scalars[position + 1] == "{" {
                    output += "{"
                    position += 2
                    continue
                }
                var digitsEnd = position + 1
                while digitsEnd < scalars.count, scalars[digitsEnd].isASCII,
                    ExpressionCharacters.decimalDigit(UInt8(scalars[digitsEnd].value)) != nil
                {
                    digitsEnd += 1
                }
                guard digitsEnd > position + 1, digitsEnd < scalars.count, scalars[digitsEnd] == "}" else {
                    return .failure(.invalidPlaceholder(at: position))
                }
                var digits = String.UnicodeScalarView()
                digits.append(contentsOf: scalars[(position + 1)..<digitsEnd])
                let text = String(digits)
                guard let index = Int(text), index < arguments.count else {
                    return .failure(.missingArgument(text, available: arguments.count))
                }
                output += arguments[index].stringValue
                position = digitsEnd + 1
            case "}":
                guard position + 1 < scalars.count, scalars[position + 1] == "}" else {
                    return .failure(.unmatchedClosingBrace(at: position))
                }
                output += "}"
                position += 2
            default:
                output.unicodeScalars.append(scalar)
                position += 1
            }
        }
        return .success(output)
    }
}
