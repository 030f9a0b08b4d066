import Foundation

extension Value {
    /// The value as JSON text with object keys sorted.
    ///
    /// Pretty output indents by two spaces and writes `"key": value`; compact output has no
    /// whitespace. Numbers print like `stringValue` (`4`, `0.5`); `NaN` and infinities, which JSON
    /// cannot hold, print as `null`.
    /// - Parameter pretty: Whether to indent nested values on their own lines.
    /// - Returns: The JSON text.
    public func jsonString(pretty: Bool) -> String {
        var output = ""
        writeJSON(to: &output, pretty: pretty, indent: 0)
        return output
    }

    /// Decodes a value from JSON text; top-level scalars such as `3` or `"x"` are accepted, and `true`/`false`
    /// stay booleans.
    /// - Parameter jsonString: The JSON text.
    /// - Throws: the parser's error when the text is not valid JSON (`summary(ofJSONError:)` says why).
    public init(jsonString: String) throws {
        try self.init(json: Data(jsonString.utf8))
    }

    /// Decodes a value from JSON bytes, as `init(jsonString:)` does.
    ///
    /// `JSONSerialization` reads the text and its objects are converted: seven times faster than decoding `Value`
    /// with `JSONDecoder`, whose single-value container can only try each JSON type in turn and throws (with a
    /// coding path) for every miss. Every webhook and every stored event goes through here.
    /// - Throws: the parser's error when the bytes are not valid JSON.
    public init(json data: Data) throws {
        self.init(foundation: try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]))
    }

    /// The value of what `JSONSerialization` returns. Booleans arrive as `NSNumber`s of type `c` (char), which no
    /// JSON number becomes. Numbers with many digits arrive as `NSDecimalNumber`s, whose `doubleValue` is not
    /// correctly rounded (`0.30000000000000004` would read back as `0.3000000000000001`): their text is read instead.
    private init(foundation object: Any) {
        switch object {
        case let text as String:
            self = .string(text)
        case let members as [String: Any]:
            self = .object(members.mapValues(Value.init(foundation:)))
        case let elements as [Any]:
            self = .array(elements.map(Value.init(foundation:)))
        case let decimal as NSDecimalNumber:
            self = .number(Double(decimal.stringValue) ?? decimal.doubleValue)
        case let number as NSNumber:
            self = String(cString: number.objCType) == "c" ? .bool(number.boolValue) : .number(number.doubleValue)
        default:
            self = .null
        }
    }

    /// A short reason why JSON text could not be decoded, e.g. `Unexpected character 'x' around line 1,
    /// column 1.`, for messages.
    public static func summary(ofJSONError error: any Error) -> String {
        guard let decodingError = error as? DecodingError else {
            return (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
        }
        switch decodingError {
        case .dataCorrupted(let context):
            guard let underlying = context.underlyingError else { return context.debugDescription }
            let details = (underlying as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            return details ?? context.debugDescription
        default:
            return "\(decodingError)"
        }
    }

    /// Appends the JSON for this value to `output`.
    private func writeJSON(to output: inout String, pretty: Bool, indent: Int) {
        switch self {
        case .null:
            output += "null"
        case .bool(let flag):
            output += flag ? "true" : "false"
        case .number(let number):
            output += number.isFinite ? NumberSyntax.format(number) : "null"
        case .string(let text):
            Self.writeJSONString(text, to: &output)
        case .array(let elements):
            guard !elements.isEmpty else {
                output += "[]"
                return
            }
            output += "["
            for (position, element) in elements.enumerated() {
                if position > 0 { output += "," }
                Self.writeLineBreak(to: &output, pretty: pretty, indent: indent + 1)
                element.writeJSON(to: &output, pretty: pretty, indent: indent + 1)
            }
            Self.writeLineBreak(to: &output, pretty: pretty, indent: indent)
            output += "]"
        case .object(let members):
            guard !members.isEmpty else {
                output += "{}"
                return
            }
            output += "{"
            for (position, key) in members.keys.sorted().enumerated() {
                if position > 0 { output += "," }
                Self.writeLineBreak(to: &output, pretty: pretty, indent: indent + 1)
                Self.writeJSONString(key, to: &output)
                output += pretty ? ": " : ":"
                (members[key] ?? .null).writeJSON(to: &output, pretty: pretty, indent: indent + 1)
            }
            Self.writeLineBreak(to: &output, pretty: pretty, indent: indent)
            output += "}"
        }
    }

    /// Appends a newline and indentation when pretty-printing.
    private static func writeLineBreak(to output: inout String, pretty: Bool, indent: Int) {
        guard pretty else { return }
        output += "\n"
        output += String(repeating: "  ", count: indent)
    }

    /// Appends `text` as a quoted JSON string, escaping quotes, backslashes and control characters.
    private static func writeJSONString(_ text: String, to output: inout String) {
        output.unicodeScalars.append("\"")
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16, uppercase: false)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output.unicodeScalars.append("\"")
    }
}

extension Value: Codable {
    /// Decodes any JSON (or YAML) value; booleans are tried before numbers so they stay booleans.
    /// - Throws: `DecodingError.dataCorrupted` when the value is none of the JSON types.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let elements = try? container.decode([Value].self) {
            self = .array(elements)
        } else if let members = try? container.decode([String: Value].self) {
            self = .object(members)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "Expected null, a boolean, number, string, array or object.")
        }
    }

    /// Encodes the value as the matching JSON type.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .number(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        case .array(let elements): try container.encode(elements)
        case .object(let members): try container.encode(members)
        }
    }
}
