extension ShellScriptScanner {
    /// bash's `$'…'`, whose escapes it interprets.
    mutating func readANSIC(_ word: inout ShellWord) throws(Failure) {
        word.quoted = true
        word.expands()
        position += 2
        while true {
            guard let unit = peek() else { throw fail("a $' is never closed") }
            position += 1
            switch unit {
            case .byte(UInt8(ascii: "'")):
                return
            case .byte(UInt8(ascii: "\\")):
                switch peek() {
                case .byte(UInt8(ascii: "'"))?: throw fail("a \\' inside $'…', which sh and bash read differently")
                case .value(let index)?: meetRefused(index, .ansiCQuoted)
                case nil: throw fail("a $' is never closed")
                default: break
                }
                position += 1
            case .value(let index):
                meetRefused(index, .ansiCQuoted)
            case .byte:
                break
            }
        }
    }

    /// `$((…))` or `((…))` (`opening` is the length of the opening): every value inside is refused.
    mutating func skimArithmetic(opening: Int) throws(Failure) {
        position += opening
        refusalStack.append(.arithmetic)
        var depth = 0
        while true {
            guard let unit = peek() else { throw fail("an arithmetic expression is never closed with '))'") }
            guard case .byte(let byte) = unit else {
                if case .value(let index) = unit { meetRefused(index, .arithmetic) }
                position += 1
                continue
            }
            if byte == UInt8(ascii: "(") {
                depth += 1
                position += 1
            } else if byte == UInt8(ascii: ")") {
                if depth > 0 {
                    depth -= 1
                    position += 1
                } else {
                    guard sees(")", 1) else { throw fail("an arithmetic expression closed by a single ')'") }
                    position += 2
                    break
                }
            } else {
                try skim(byte, quoted: false)
            }
        }
        refusalStack.removeLast()
    }

    /// `${…}`: every value inside is refused.
    mutating func skimParameter(quoted: Bool) throws(Failure) {
        position += 2
        refusalStack.append(.parameterExpansion)
        while true {
            guard let unit = peek() else { throw fail("a ${ is never closed with '}'") }
            guard case .byte(let byte) = unit else {
                if case .value(let index) = unit { meetRefused(index, .parameterExpansion) }
                position += 1
                continue
            }
            if byte == UInt8(ascii: "}") {
                position += 1
                break
            }
            if byte == UInt8(ascii: "{") { throw fail("a '{' inside ${…}, which shells read differently") }
            if quoted, byte == UInt8(ascii: "'") {
                throw fail("a ' inside ${…} within double quotes or a heredoc, which sh and bash read differently")
            }
            try skim(byte, quoted: quoted)
        }
        refusalStack.removeLast()
    }

    /// bash's `$[…]`: every value inside is refused.
    mutating func skimBrackets() throws(Failure) {
        position += 2
        refusalStack.append(.arithmetic)
        var depth = 1
        while true {
            guard let unit = peek() else { throw fail("a $[ is never closed with ']'") }
            guard case .byte(let byte) = unit else {
                if case .value(let index) = unit { meetRefused(index, .arithmetic) }
                position += 1
                continue
            }
            if byte == UInt8(ascii: "[") {
                depth += 1
            } else if byte == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 {
                    position += 1
                    break
                }
            }
            try skim(byte, quoted: false)
        }
        refusalStack.removeLast()
    }

    /// One piece inside a construct whose values are all refused: its quotes and substitutions are followed so that
    /// the construct's end is found.
    mutating func skim(_ byte: UInt8, quoted: Bool) throws(Failure) {
        var scratch = ShellWord()
        switch Unicode.Scalar(byte) {
        case "\\":
            if case .value(let index)? = peek(1) {
                position += 1
                meetRefused(index, .afterBackslash)
            }
            position = min(position + 2, units.count)
        case "'":
            try readSingleQuoted(&scratch)
        case "\"":
            try readDoubleQuoted(&scratch)
        case "$":
            try readDollar(&scratch, quoting: quoted ? .double : .none)
        case "`":
            try readBackticks(&scratch, quoted: quoted)
        default:
            position += 1
        }
    }

    /// The elements of bash's `NAME=(…)`, after `NAME=`; values in a `[key]=` element are refused.
    mutating func readArrayElements() throws(Failure) {
        position += 1
        while true {
            try skipLinebreaksInArray()
            guard let unit = peek() else { throw fail("an array assignment is never closed with ')'") }
            if unit == .byte(UInt8(ascii: ")")) {
                position += 1
                return
            }
            guard startsWord() else { throw fail("an operator inside an array assignment") }
            let keyed = sees("[")
            let element = try readWord()
            if keyed {
                for index in element.values { overrule(index, .arraySubscript) }
            }
        }
    }

    mutating func skipLinebreaksInArray() throws(Failure) {
        while true {
            skipBlanks()
            guard sees("\n") else { return }
            position += 1
            try readHeredocBodies()
        }
    }
}
