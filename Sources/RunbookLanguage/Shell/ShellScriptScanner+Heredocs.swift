extension ShellScriptScanner {
    /// After a newline: the bodies of the heredocs started on the line, in order. Each is taken whole first (up to
    /// its delimiter line, as bash does), then read: a quoted delimiter makes it literal text, where a value has no
    /// safe form; otherwise `$`, backticks and backslashes work as in double quotes.
    mutating func readHeredocBodies() throws(Failure) {
        guard !pending.isEmpty else { return }
        if pending.contains(where: { $0.level < level }) {
            throw fail("a heredoc and a $(…) or backticks spanning lines start on the same line")
        }
        let due = pending.filter { $0.level == level }
        pending.removeAll { $0.level == level }
        for heredoc in due {
            let start = position
            let body = try takeBody(of: heredoc)
            let first = noted.count
            if heredoc.quoted {
                for case .value(let index) in body { meetRefused(index, .quotedHeredoc) }
            } else {
                let outer = pending
                pending = []
                let saved = enter(body, from: start)
                try scanHeredocText()
                leave(saved)
                pending = outer
            }
            let values = noted[first...]
            if let reason = heredoc.readsCode {
                for index in values { overrule(index, reason) }
            }
            if let stage = heredoc.stage {
                stages[stage].values += values
                if let reason = stages[stage].feedsCode {
                    for index in values { overrule(index, reason) }
                }
            }
        }
    }

    /// The lines up to the delimiter line, which is consumed; in an unquoted heredoc a backslash-newline joins two
    /// lines before the delimiter is looked for.
    private mutating func takeBody(of heredoc: PendingHeredoc) throws(Failure) -> [Unit] {
        let delimiter = heredoc.delimiter.map(Unit.byte)
        let tab = Unit.byte(UInt8(ascii: "\t"))
        let newline = Unit.byte(UInt8(ascii: "\n"))
        let backslash = Unit.byte(UInt8(ascii: "\\"))
        var body: [Unit] = []
        while true {
            guard position < units.count else { throw missingDelimiter(heredoc) }
            var line: [Unit] = []
            while let unit = peek(), unit != newline {
                if !heredoc.quoted, unit == backslash {
                    if peek(1) == newline {
                        position += 2
                        continue
                    }
                    if peek(1) == backslash {
                        line += [backslash, backslash]
                        position += 2
                        continue
                    }
                }
                line.append(unit)
                position += 1
            }
            let atEnd = peek() == nil
            if !atEnd { position += 1 }
            let compared = heredoc.stripsTabs ? line.drop { $0 == tab } : line[...]
            if compared.elementsEqual(delimiter) { return body }
            if atEnd { throw missingDelimiter(heredoc) }
            body += line
            body.append(newline)
        }
    }

    private func missingDelimiter(_ heredoc: PendingHeredoc) -> Failure {
        fail("the heredoc '\(String(decoding: heredoc.delimiter, as: UTF8.self))' never ends with its delimiter line")
    }

    /// The text of an unquoted heredoc's body.
    private mutating func scanHeredocText() throws(Failure) {
        var scratch = ShellWord()
        while let unit = peek() {
            guard case .byte(let byte) = unit else {
                if case .value(let index) = unit { place(index, .heredoc) }
                position += 1
                continue
            }
            switch Unicode.Scalar(byte) {
            case "\\":
                switch peek(1) {
                case .value(let index)?:
                    position += 1
                    meetRefused(index, .afterBackslash)
                    position += 1
                case .byte(let next)?
                where next == UInt8(ascii: "$") || next == UInt8(ascii: "`") || next == UInt8(ascii: "\\"):
                    position += 2
                default:
                    position += 1
                }
            case "$":
                try readDollar(&scratch, quoting: .heredoc)
            case "`":
                try readBackticks(&scratch, quoted: true)
            default:
                position += 1
            }
        }
    }
}
