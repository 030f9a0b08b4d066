extension ShellScriptScanner {
    /// `case WORD in PATTERN) LIST ;; … esac`, after `case`.
    mutating func readCase() throws(Failure) {
        skipBlanks()
        guard startsWord() else { throw fail("a 'case' without a word") }
        _ = try readWord()
        try skipLinebreaks()
        guard startsWord(), try readWord().isReserved("in") else { throw fail("a 'case' without 'in'") }
        while true {
            try skipLinebreaks()
            guard peek() != nil else { throw fail("a 'case' is never closed with 'esac'") }
            if atReserved("esac") {
                position += 4
                return
            }
            if sees("(") { position += 1 }
            while true {
                skipBlanks()
                guard startsWord() else { throw fail("a case pattern is missing") }
                _ = try readWord()
                skipBlanks()
                if sees("|") {
                    position += 1
                } else if sees(")") {
                    position += 1
                    break
                } else {
                    throw fail("a case pattern is not closed with ')'")
                }
            }
            if try scanList(until: .caseItem) == .esac { return }
        }
    }

    /// `for NAME [in WORDS]; do LIST done` or `for ((…)); do LIST done`, after `for` (or `select`).
    mutating func readFor() throws(Failure) {
        skipBlanks()
        if sees("("), sees("(", 1) {
            try skimArithmetic(opening: 2)
        } else {
            guard startsWord() else { throw fail("a 'for' without a variable") }
            for index in try readWord().values { overrule(index, .loopVariable) }
            try skipLinebreaks()
            if atReserved("in") {
                position += 2
                while true {
                    skipBlanks()
                    guard startsWord() else { break }
                    _ = try readWord()
                }
            }
        }
        skipBlanks()
        if sees(";") { position += 1 }
        _ = try scanList(until: .keyword("done"))
    }

    /// `[[ … ]]`, after `[[`: every value inside is refused.
    mutating func readConditional() throws(Failure) {
        refusalStack.append(.conditional)
        while true {
            skipBlanks()
            guard peek() != nil else { throw fail("a '[[' is never closed with ']]'") }
            if sees("\n") {
                position += 1
                try readHeredocBodies()
            } else if atReserved("]]") {
                position += 2
                break
            } else if (sees("&") && sees("&", 1)) || (sees("|") && sees("|", 1)) {
                position += 2
            } else if sees("(") || sees(")") || sees("!") || sees("<") || sees(">") {
                position += 1
            } else if startsWord() {
                _ = try readWord()
            } else {
                throw fail("an operator that does not belong inside [[ … ]]")
            }
        }
        refusalStack.removeLast()
    }
}
