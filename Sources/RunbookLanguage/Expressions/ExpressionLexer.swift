/// Splits expression text into tokens on demand, over UTF-8 bytes, tracking Unicode-scalar offsets.
struct ExpressionLexer {
    /// Where a `${{` opened at some point is closed.
    enum TemplateClose {
        /// The `}}` starts at byte index `index`, Unicode-scalar offset `offset`.
        case found(index: Int, offset: Int)
        /// There is no `}}`; `openString` is the offset of a string literal left open, if any.
        case unclosed(openString: Int?)
    }

    /// The UTF-8 text being lexed.
    private let bytes: [UInt8]
    /// The byte index where lexing stops.
    private let end: Int
    /// The byte index of the next character.
    private var position: Int
    /// The Unicode-scalar offset of the next character.
    private var offset: Int

    /// Creates a lexer over `bytes[range]`, whose first character is at Unicode-scalar `offset`.
    init(bytes: [UInt8], range: Range<Int>, offset: Int) {
        self.bytes = bytes
        self.end = range.upperBound
        self.position = range.lowerBound
        self.offset = offset
    }

    /// Lexes the next token.
    /// - Parameter afterDot: Whether the previous token was `.`, where a property name may start with
    ///   a digit (step ids such as `1-restart`).
    mutating func next(afterDot: Bool) throws(ExpressionError) -> ExpressionToken {
        while position < end, ExpressionCharacters.isWhitespace(bytes[position]) { advance(1) }
        let start = offset
        guard position < end else { return ExpressionToken(kind: .end, offset: start) }
        let byte = bytes[position]
        if ExpressionCharacters.isNameStart(byte) || (afterDot && ExpressionCharacters.decimalDigit(byte) != nil) {
            return ExpressionToken(kind: .name(lexName()), offset: start)
        }
        if ExpressionCharacters.decimalDigit(byte) != nil {
            return ExpressionToken(kind: .number(try lexNumber()), offset: start)
        }
        let following: UInt8? = position + 1 < end ? bytes[position + 1] : nil
        let kind: ExpressionToken.Kind
        switch byte {
        case UInt8(ascii: "'"):
            return ExpressionToken(kind: .string(try lexString()), offset: start)
        case UInt8(ascii: "-"):
            guard let following, ExpressionCharacters.decimalDigit(following) != nil else {
                throw unexpectedCharacter(
                    hint: "; expressions have no arithmetic, and a negative number needs a digit right after '-'")
            }
            return ExpressionToken(kind: .number(try lexNumber()), offset: start)
        case UInt8(ascii: "("): kind = .leftParen
        case UInt8(ascii: ")"): kind = .rightParen
        case UInt8(ascii: "["): kind = .leftBracket
        case UInt8(ascii: "]"): kind = .rightBracket
        case UInt8(ascii: ","): kind = .comma
        case UInt8(ascii: "."): kind = .dot
        case UInt8(ascii: "!"): kind = following == UInt8(ascii: "=") ? .notEqual : .not
        case UInt8(ascii: "<"): kind = following == UInt8(ascii: "=") ? .lessOrEqual : .less
        case UInt8(ascii: ">"): kind = following == UInt8(ascii: "=") ? .greaterOrEqual : .greater
        case UInt8(ascii: "="):
            guard following == UInt8(ascii: "=") else { throw unexpectedCharacter(hint: "; compare with '=='") }
            kind = .equal
        case UInt8(ascii: "&"):
            guard following == UInt8(ascii: "&") else { throw unexpectedCharacter(hint: "; write '&&' for 'and'") }
            kind = .and
        case UInt8(ascii: "|"):
            guard following == UInt8(ascii: "|") else { throw unexpectedCharacter(hint: "; write '||' for 'or'") }
            kind = .or
        case UInt8(ascii: "\""):
            throw unexpectedCharacter(hint: "; string literals use single quotes, e.g. 'text'")
        case UInt8(ascii: "$"):
            let nested =
                following == UInt8(ascii: "{") && position + 2 < end && bytes[position + 2] == UInt8(ascii: "{")
            throw unexpectedCharacter(
                hint: nested ? "; '${{ }}' must wrap the whole expression and cannot be nested" : "")
        default:
            throw unexpectedCharacter(hint: "")
        }
        switch kind {
        case .notEqual, .lessOrEqual, .greaterOrEqual, .equal, .and, .or: advance(2)
        default: advance(1)
        }
        return ExpressionToken(kind: kind, offset: start)
    }

    /// Finds the `}}` that closes a `${{` whose expression starts at byte `start`, skipping string
    /// literals so that `${{ format('{{x}}') }}` closes at the last `}}`.
    static func templateClose(in bytes: [UInt8], from start: Int, offset: Int) -> TemplateClose {
        var index = start
        var offset = offset
        var openString: Int?
        while index < bytes.count {
            let byte = bytes[index]
            if openString != nil {
                if byte == UInt8(ascii: "'") { openString = nil }
            } else if byte == UInt8(ascii: "'") {
                openString = offset
            } else if byte == UInt8(ascii: "}"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "}") {
                return .found(index: index, offset: offset)
            }
            if byte & 0xC0 != 0x80 { offset += 1 }
            index += 1
        }
        return .unclosed(openString: openString)
    }

    /// Moves past `count` ASCII bytes.
    private mutating func advance(_ count: Int) {
        position += count
        offset += count
    }

    /// Lexes a name: letters, digits, `_` and `-`.
    private mutating func lexName() -> String {
        let start = position
        while position < end, ExpressionCharacters.isNameContinuation(bytes[position]) { position += 1 }
        offset += position - start
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// Lexes a number literal, which may start with `-`.
    private mutating func lexNumber() throws(ExpressionError) -> Double {
        switch NumberSyntax.scan(bytes, from: position, to: end) {
        case .number(let value, let numberEnd):
            advance(numberEnd - position)
            return value
        case .malformed(let numberEnd, let reason):
            let text = String(decoding: bytes[position..<numberEnd], as: UTF8.self)
            throw ExpressionError(offset: offset, message: "'\(text)' \(reason)")
        }
    }

    /// Lexes a `'…'` string literal, where `''` stands for one quote.
    private mutating func lexString() throws(ExpressionError) -> String {
        let quoteOffset = offset
        advance(1)
        var pieceStart = position
        var text = ""
        while position < end {
            let byte = bytes[position]
            if byte == UInt8(ascii: "'") {
                text += String(decoding: bytes[pieceStart..<position], as: UTF8.self)
                advance(1)
                guard position < end, bytes[position] == UInt8(ascii: "'") else { return text }
                pieceStart = position
                advance(1)
                continue
            }
            if byte & 0xC0 != 0x80 { offset += 1 }
            position += 1
        }
        throw ExpressionError(offset: quoteOffset, message: "unterminated string literal; close it with '")
    }

    /// An "unexpected character" error for the character at the current position.
    private func unexpectedCharacter(hint: String) -> ExpressionError {
        var scalarEnd = position + 1
        while scalarEnd < end, bytes[scalarEnd] & 0xC0 == 0x80 { scalarEnd += 1 }
        let character = String(decoding: bytes[position..<scalarEnd], as: UTF8.self)
        let shown: String
        if let scalar = character.unicodeScalars.first,
            scalar.properties.generalCategory == .control || scalar.properties.isWhitespace
        {
            shown = "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
        } else {
            shown = "'\(character)'"
        }
        return ExpressionError(offset: offset, message: "unexpected character \(shown)\(hint)")
    }
}

extension String {
    /// The string padded on the left with zeros to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
