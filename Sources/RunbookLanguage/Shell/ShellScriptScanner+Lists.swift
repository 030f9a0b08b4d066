extension ShellScriptScanner {
    /// What ends a list of commands.
    enum ListEnd: Equatable {
        case input, closeParen, caseItem
        case keyword(String)
    }

    /// How a list of commands ended.
    enum ListStop: Equatable {
        case input, closeParen, caseItem, esac, keyword
    }

    /// A compound command: whether something in it reads its input as shell code.
    struct Compound {
        var readsCode: ShellRefusalReason?
    }

    /// The command being read.
    struct CommandState {
        /// Where its values start in `noted`.
        var start: Int
        /// The command name and arguments.
        var words: [ShellWord] = []
        /// `NAME=value` words before the command name.
        var assignments: [ShellWord] = []
        /// Values in redirection targets and here-strings.
        var redirectionValues: [Int] = []
        /// Its heredocs, by id.
        var heredocs: [Int] = []
        /// Set when the command is a compound command (`{ …; }`, `if`, `( … )`, `[[ … ]]`).
        var compound: Compound?
        /// Whether a redirection has been read.
        var hasRedirection = false
        /// Why a substitution in the command's words reads the command's input as shell code, if one does.
        var substitutionReadsCode: ShellRefusalReason?

        /// Whether nothing of the command has been read; reserved words are only recognised then.
        var isEmpty: Bool { words.isEmpty && assignments.isEmpty && compound == nil && !hasRedirection }
    }

    /// Reads commands until `end`.
    mutating func scanList(until end: ListEnd) throws(Failure) -> ListStop {
        var command = CommandState(start: noted.count)
        var pipeline: [Int] = []
        while true {
            skipBlanks()
            guard let unit = peek() else {
                endCommand(&command, &pipeline, endsPipeline: true)
                guard end == .input else { throw fail(Self.unclosed(end)) }
                if pending.contains(where: { $0.level >= level }) {
                    throw fail("a heredoc's delimiter line never comes")
                }
                return .input
            }
            guard case .byte(let byte) = unit else {
                if let stop = try readCommandWord(&command, &pipeline, end: end) { return stop }
                continue
            }
            switch Unicode.Scalar(byte) {
            case "\n":
                position += 1
                // A newline after '|' continues the pipeline.
                if !(command.isEmpty && !pipeline.isEmpty) { endCommand(&command, &pipeline, endsPipeline: true) }
                try readHeredocBodies()
            case "#":
                readComment()
            case ";":
                if sees(";", 1) || sees("&", 1) {
                    guard end == .caseItem else { throw fail("a ';;' outside a case") }
                    endCommand(&command, &pipeline, endsPipeline: true)
                    position += 2
                    if sees("&") { position += 1 }
                    return .caseItem
                }
                position += 1
                endCommand(&command, &pipeline, endsPipeline: true)
            case "&":
                if sees(">", 1) {
                    try readRedirection(&command)
                } else {
                    position += sees("&", 1) ? 2 : 1
                    endCommand(&command, &pipeline, endsPipeline: true)
                }
            case "|":
                if sees("|", 1) {
                    position += 2
                    endCommand(&command, &pipeline, endsPipeline: true)
                } else {
                    guard !command.isEmpty else { throw fail("a '|' with no command before it") }
                    position += sees("&", 1) ? 2 : 1
                    endCommand(&command, &pipeline, endsPipeline: false)
                }
            case "(":
                try readParenthesis(&command)
            case ")":
                guard end == .closeParen else { throw fail("a ')' that closes nothing") }
                position += 1
                endCommand(&command, &pipeline, endsPipeline: true)
                return .closeParen
            case "<" where !sees("(", 1), ">" where !sees("(", 1):
                try readRedirection(&command)
            default:
                if let stop = try readCommandWord(&command, &pipeline, end: end) { return stop }
            }
        }
    }

    private static func unclosed(_ end: ListEnd) -> String {
        switch end {
        case .input: "unexpected end"
        case .closeParen: "a '(' or '$(' is never closed with ')'"
        case .caseItem: "a 'case' is never closed with 'esac'"
        case .keyword(let keyword): "a compound command is never closed with '\(keyword)'"
        }
    }

    /// Reads a word where a command's word may stand: a reserved word, an assignment, the command name or an
    /// argument. Returns how the list ends when the word closes it.
    private mutating func readCommandWord(
        _ command: inout CommandState, _ pipeline: inout [Int], end: ListEnd
    ) throws(Failure) -> ListStop? {
        let atStart = command.isEmpty
        let word = try readWord()
        command.substitutionReadsCode = command.substitutionReadsCode ?? word.readsCode
        if let text = word.text, !word.quoted, sees("<") || sees(">"), Self.isDescriptor(text) {
            try readRedirection(&command)
            return nil
        }
        if atStart, !word.quoted, let text = word.text {
            let first = stages.count
            switch text {
            case "if", "while", "until", "{":
                _ = try scanList(until: .keyword(text == "if" ? "fi" : text == "{" ? "}" : "done"))
                command.compound = Compound(readsCode: readsCode(since: first))
                return nil
            case "case":
                try readCase()
                command.compound = Compound(readsCode: readsCode(since: first))
                return nil
            case "for", "select":
                try readFor()
                command.compound = Compound(readsCode: readsCode(since: first))
                return nil
            case "[[":
                try readConditional()
                command.compound = Compound()
                return nil
            case "then", "else", "elif", "do", "!", "time":
                return nil
            case "coproc":
                throw fail("a coproc, whose input any later command can write to")
            case "function":
                skipBlanks()
                _ = try readWord()
                skipBlanks()
                if sees("(") { try readEmptyParentheses() }
                return nil
            case "fi", "done", "}":
                guard end == .keyword(text) else { throw fail("a '\(text)' that closes nothing") }
                endCommand(&command, &pipeline, endsPipeline: true)
                return .keyword
            case "esac":
                guard end == .caseItem else { throw fail("an 'esac' that closes nothing") }
                endCommand(&command, &pipeline, endsPipeline: true)
                return .esac
            default:
                break
            }
        }
        guard command.compound == nil else { throw fail("a word after a compound command") }
        if command.words.isEmpty, word.assignment != nil {
            command.assignments.append(word)
        } else {
            command.words.append(word)
        }
        return nil
    }

    /// `2` in `2>&1`, or bash's `{fd}` in `{fd}>file`.
    private static func isDescriptor(_ text: String) -> Bool {
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) { return true }
        return text.count > 2 && text.hasPrefix("{") && text.hasSuffix("}")
    }

    /// Why something in the stages since `first` reads its input as code: what a compound command reads.
    private func readsCode(since first: Int) -> ShellRefusalReason? {
        stages[first...].lazy.compactMap(\.readsCode).first
    }

    /// `(` at a command's start (a subshell or `((…))`), or the `()` of a function definition.
    private mutating func readParenthesis(_ command: inout CommandState) throws(Failure) {
        if command.isEmpty {
            if sees("(", 1) {
                try skimArithmetic(opening: 2)
                command.compound = Compound()
            } else {
                position += 1
                let first = stages.count
                _ = try scanList(until: .closeParen)
                command.compound = Compound(readsCode: readsCode(since: first))
            }
        } else if command.words.count == 1, command.assignments.isEmpty, command.compound == nil {
            try readEmptyParentheses()
            command = CommandState(start: noted.count)
        } else {
            throw fail("a '(' in the middle of a command")
        }
    }

    /// The `()` of a function definition.
    private mutating func readEmptyParentheses() throws(Failure) {
        position += 1
        skipBlanks()
        guard sees(")") else { throw fail("a '(' in the middle of a command") }
        position += 1
    }

    /// Ends the command being read and, when `endsPipeline`, its pipeline.
    private mutating func endCommand(_ command: inout CommandState, _ pipeline: inout [Int], endsPipeline: Bool) {
        if !command.isEmpty { pipeline.append(finish(command)) }
        command = CommandState(start: noted.count)
        if endsPipeline {
            finishPipeline(pipeline)
            pipeline = []
        }
    }

    /// Applies what the command does with its words to their values, and records it as a stage of its pipeline.
    private mutating func finish(_ command: CommandState) -> Int {
        var readsCode: ShellRefusalReason?
        if let compound = command.compound {
            readsCode = compound.readsCode
        } else {
            for assignment in command.assignments {
                for index in assignment.subscriptValues { overrule(index, .arraySubscript) }
                if let name = assignment.assignment, integerNames.contains(name) {
                    for index in assignment.values { overrule(index, .integerVariable(name)) }
                }
                if let name = assignment.assignment, ShellCommandRules.specialVariables.contains(name) {
                    for index in assignment.values { overrule(index, .specialVariable(name)) }
                }
            }
            let verdict = ShellCommandRules.judge(command.words, integerNames: integerNames)
            for (index, reason) in verdict.refusals { overrule(index, reason) }
            integerNames.formUnion(verdict.integerNames)
            if verdict.checksLeadingDashes {
                for word in command.words {
                    if word.text == "--" { break }
                    for (index, preceding) in word.leadingValues { beginsArgument(index, after: preceding) }
                }
            }
            readsCode = verdict.readsCode ?? command.substitutionReadsCode
        }
        if let readsCode {
            for index in command.redirectionValues { overrule(index, readsCode) }
        }
        let id = stages.count
        stages.append(Stage(values: Array(noted[command.start...]), readsCode: readsCode))
        for position in pending.indices where command.heredocs.contains(pending[position].id) {
            pending[position].stage = id
            pending[position].readsCode = readsCode
        }
        return id
    }

    /// Refuses what each command of a pipeline feeds, directly or through the commands after it, to a command that
    /// reads its input as shell code.
    private mutating func finishPipeline(_ pipeline: [Int]) {
        let readers = pipeline.map { stages[$0].readsCode }
        for (place, stage) in pipeline.enumerated() {
            guard let reader = readers[(place + 1)...].lazy.compactMap({ $0 }).first else { continue }
            stages[stage].feedsCode = reader
            for index in stages[stage].values { overrule(index, reader) }
        }
    }

    /// A comment, to the end of the line; values in it are never expanded.
    mutating func readComment() {
        while let unit = peek(), unit != .byte(UInt8(ascii: "\n")) {
            if case .value(let index) = unit { contexts[index] = .comment }
            position += 1
        }
    }

    /// Blanks, newlines (with the heredocs they start) and comments.
    mutating func skipLinebreaks() throws(Failure) {
        while true {
            skipBlanks()
            if sees("\n") {
                position += 1
                try readHeredocBodies()
            } else if sees("#") {
                readComment()
            } else {
                return
            }
        }
    }

    /// Spaces, tabs and line continuations.
    mutating func skipBlanks() {
        while true {
            if sees(" ") || sees("\t") {
                position += 1
            } else if sees("\\"), sees("\n", 1) {
                position += 2
            } else {
                return
            }
        }
    }

    /// Whether `word` stands at the position as a whole word (followed by a blank, an operator or the end).
    func atReserved(_ word: String) -> Bool {
        for (offset, byte) in word.utf8.enumerated() where peek(offset) != .byte(byte) { return false }
        guard let next = peek(word.utf8.count) else { return true }
        guard case .byte(let byte) = next else { return false }
        return Self.isBlank(byte) || Self.isMetacharacter(byte)
    }

    /// Whether a word starts at the position.
    func startsWord() -> Bool {
        guard let unit = peek() else { return false }
        guard case .byte(let byte) = unit else { return true }
        if byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") { return sees("(", 1) }
        return !Self.isBlank(byte) && !Self.isMetacharacter(byte)
    }

    static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    /// The bytes that end an unquoted word.
    static func isMetacharacter(_ byte: UInt8) -> Bool {
        switch Unicode.Scalar(byte) {
        case " ", "\t", "\n", ";", "&", "|", "<", ">", "(", ")": true
        default: false
        }
    }
}
