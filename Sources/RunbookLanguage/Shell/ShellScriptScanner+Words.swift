extension ShellScriptScanner {
    /// The quoting a `$` stands in, which decides what `$'` and `$"` mean and how `${…}` reads quotes.
    enum Quoting {
        case none, double, heredoc
    }

    /// Reads one word: unquoted text, quotes, escapes, expansions and substitutions, up to a blank or an operator.
    mutating func readWord() throws(Failure) -> ShellWord {
        var word = ShellWord()
        let start = noted.count
        let firstStage = stages.count
        var subscriptName: String?
        var subscriptDepth = 0
        var subscriptStart = 0
        var afterEquals = false
        var sawEquals = false
        while let unit = peek() {
            guard case .byte(let byte) = unit else {
                if case .value(let index) = unit {
                    word.meet(index)
                    place(index, .word)
                }
                position += 1
                afterEquals = false
                continue
            }
            if Self.isMetacharacter(byte) {
                if byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">"), sees("(", 1) {
                    position += 2
                    let inner = stages.count
                    try readSubstitution()
                    if stages[inner...].contains(where: { $0.readsCode != nil }) {
                        throw fail("a process substitution that runs a shell, which what it is given can reach")
                    }
                    word.expands()
                    continue
                }
                if byte == UInt8(ascii: "("), afterEquals {
                    try readArrayElements()
                    word.expands()
                    afterEquals = false
                    continue
                }
                break
            }
            afterEquals = false
            switch Unicode.Scalar(byte) {
            case "\\":
                word.quoted = true
                word.namePrefix = nil
                switch peek(1) {
                case .byte(UInt8(ascii: "\n"))?:
                    position += 2
                case .value(let index)?:
                    position += 1
                    meetRefused(index, .afterBackslash)
                    word.expands()
                    position += 1
                case .byte(let escaped)?:
                    word.append(escaped)
                    position += 2
                case nil:
                    word.append(byte)
                    position += 1
                }
            case "'":
                try readSingleQuoted(&word)
            case "\"":
                try readDoubleQuoted(&word)
            case "$":
                try readDollar(&word, quoting: .none)
            case "`":
                try readBackticks(&word, quoted: false)
            default:
                position += 1
                if var name = word.namePrefix {
                    word.namePrefix = nil
                    if Self.isNameByte(byte), !(name.isEmpty && Self.isDigit(byte)) {
                        name.append(byte)
                        word.namePrefix = name
                    } else if !name.isEmpty, byte == UInt8(ascii: "=") {
                        word.assignment = String(decoding: name, as: UTF8.self)
                    } else if !name.isEmpty, byte == UInt8(ascii: "+"), sees("=") {
                        word.assignment = String(decoding: name, as: UTF8.self)
                    } else if !name.isEmpty, byte == UInt8(ascii: "[") {
                        subscriptName = String(decoding: name, as: UTF8.self)
                        subscriptDepth = 1
                        subscriptStart = noted.count
                    }
                } else if subscriptDepth > 0 {
                    if byte == UInt8(ascii: "[") {
                        subscriptDepth += 1
                    } else if byte == UInt8(ascii: "]") {
                        subscriptDepth -= 1
                        if subscriptDepth == 0, sees("=") || (sees("+") && sees("=", 1)) {
                            word.assignment = subscriptName
                            word.subscriptValues = Array(noted[subscriptStart...])
                        }
                    }
                }
                if byte == UInt8(ascii: "="), word.assignment != nil, !sawEquals {
                    sawEquals = true
                    afterEquals = true
                }
                word.append(byte)
            }
        }
        word.values = Array(noted[start...])
        word.readsCode = stages[firstStage...].lazy.compactMap(\.readsCode).first
        return word
    }

    /// `'…'`: nothing inside is special, so a value there has no safe form.
    mutating func readSingleQuoted(_ word: inout ShellWord) throws(Failure) {
        word.quoted = true
        word.namePrefix = nil
        position += 1
        while true {
            guard let unit = peek() else { throw fail("a ' is never closed") }
            position += 1
            switch unit {
            case .byte(UInt8(ascii: "'")):
                return
            case .byte(let byte):
                word.append(byte)
            case .value(let index):
                meetRefused(index, .singleQuoted)
                word.expands()
            }
        }
    }

    /// `"…"`: `$`, backticks and some backslashes stay special.
    mutating func readDoubleQuoted(_ word: inout ShellWord) throws(Failure) {
        word.quoted = true
        word.namePrefix = nil
        position += 1
        while true {
            guard let unit = peek() else { throw fail("a \" is never closed") }
            guard case .byte(let byte) = unit else {
                if case .value(let index) = unit {
                    word.meet(index)
                    place(index, .doubleQuoted)
                }
                position += 1
                continue
            }
            switch Unicode.Scalar(byte) {
            case "\"":
                position += 1
                return
            case "\\":
                switch peek(1) {
                case .value(let index)?:
                    position += 1
                    meetRefused(index, .afterBackslash)
                    word.expands()
                    position += 1
                case .byte(UInt8(ascii: "\n"))?:
                    position += 2
                case .byte(let next)? where Self.isEscapableInDoubleQuotes(next):
                    word.append(next)
                    position += 2
                default:
                    word.append(byte)
                    position += 1
                }
            case "$":
                try readDollar(&word, quoting: .double)
            case "`":
                try readBackticks(&word, quoted: true)
            default:
                word.append(byte)
                position += 1
            }
        }
    }

    /// A `$` and what follows it: a parameter, `${…}`, `$(…)`, `$((…))`, `$[…]`, `$'…'`, `$"…"`, or a plain `$`.
    mutating func readDollar(_ word: inout ShellWord, quoting: Quoting) throws(Failure) {
        guard let next = peek(1) else {
            word.append(UInt8(ascii: "$"))
            position += 1
            return
        }
        guard case .byte(let byte) = next else {
            if case .value(let index) = next {
                position += 1
                meetRefused(index, .afterDollar)
                word.expands()
                position += 1
            }
            return
        }
        switch Unicode.Scalar(byte) {
        case "(":
            if sees("(", 2) {
                try skimArithmetic(opening: 3)
            } else {
                position += 2
                try readSubstitution()
            }
            word.expands()
        case "{":
            try skimParameter(quoted: quoting != .none)
            word.expands()
        case "[":
            try skimBrackets()
            word.expands()
        case "'" where quoting == .none:
            try readANSIC(&word)
        case "\"" where quoting == .none:
            position += 1
            try readDoubleQuoted(&word)
        case "@", "*", "#", "?", "$", "!", "-", "0"..."9":
            position += 2
            word.expands()
        case _ where Self.isNameByte(byte):
            position += 1
            while case .byte(let name)? = peek(), Self.isNameByte(name) { position += 1 }
            word.expands()
        default:
            word.append(UInt8(ascii: "$"))
            position += 1
        }
    }

    /// The commands of `$(…)`, `<(…)` or `>(…)`, after the opening.
    mutating func readSubstitution() throws(Failure) {
        level += 1
        _ = try scanList(until: .closeParen)
        if pending.contains(where: { $0.level >= level }) {
            throw fail("a heredoc inside $(…) has no body before the ')'")
        }
        level -= 1
    }

    /// Backticks: the body, with `\$`, `` \` `` and `\\` (and `\"` within double quotes) unescaped, is read as
    /// commands of its own.
    mutating func readBackticks(_ word: inout ShellWord, quoted: Bool) throws(Failure) {
        let start = position
        position += 1
        var body: [Unit] = []
        while true {
            guard let unit = peek() else { throw fail("a ` is never closed") }
            position += 1
            if unit == .byte(UInt8(ascii: "`")) { break }
            if unit == .byte(UInt8(ascii: "\\")), case .byte(let next)? = peek(),
               next == UInt8(ascii: "$") || next == UInt8(ascii: "`") || next == UInt8(ascii: "\\")
                || (quoted && next == UInt8(ascii: "\"")) {
                body.append(.byte(next))
                position += 1
            } else {
                body.append(unit)
            }
        }
        word.expands()
        if quoted { refusalStack.append(.backticksInQuotes) }
        let saved = enter(body, from: start)
        _ = try scanList(until: .input)
        leave(saved)
        if quoted { refusalStack.removeLast() }
    }

    /// Switches to reading `body`, a nested text that began at `start` of the current one.
    mutating func enter(_ body: [Unit], from start: Int) -> (units: [Unit], position: Int, outer: Int?) {
        let saved = (units, position, outerPosition)
        if outerPosition == nil { outerPosition = start }
        units = body
        position = 0
        level += 1
        return saved
    }

    /// Goes back to the text `enter` left.
    mutating func leave(_ saved: (units: [Unit], position: Int, outer: Int?)) {
        units = saved.units
        position = saved.position
        outerPosition = saved.outer
        level -= 1
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20
        return isDigit(byte) || byte == UInt8(ascii: "_") || (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z"))
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func isEscapableInDoubleQuotes(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "$") || byte == UInt8(ascii: "`") || byte == UInt8(ascii: "\"")
            || byte == UInt8(ascii: "\\")
    }
}
