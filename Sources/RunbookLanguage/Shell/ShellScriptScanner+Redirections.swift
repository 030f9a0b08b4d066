extension ShellScriptScanner {
    /// A redirection: `<`, `>`, `>>`, `<&`, `>&`, `<>`, `>|`, `&>`, `&>>`, a here-string `<<<` or a heredoc `<<`,
    /// `<<-`, with its target.
    mutating func readRedirection(_ command: inout CommandState) throws(Failure) {
        command.hasRedirection = true
        var heredoc: Bool?
        if sees("&") {
            position += sees(">", 2) ? 3 : 2
        } else if sees("<"), sees("<", 1) {
            if sees("<", 2) {
                position += 3
            } else {
                heredoc = sees("-", 2)
                position += heredoc == true ? 3 : 2
            }
        } else if sees("<") {
            position += sees("&", 1) || sees(">", 1) ? 2 : 1
        } else {
            position += sees(">", 1) || sees("&", 1) || sees("|", 1) ? 2 : 1
        }
        skipBlanks()
        guard startsWord() else { throw fail("a redirection without a target") }
        let target = try readWord()
        command.substitutionReadsCode = command.substitutionReadsCode ?? target.readsCode
        guard let stripsTabs = heredoc else {
            command.redirectionValues += target.values
            return
        }
        for index in target.values { overrule(index, .heredocDelimiter) }
        guard let delimiter = target.literal else { throw fail("a heredoc delimiter with an expansion in it") }
        pending.append(PendingHeredoc(
            id: nextHeredoc, delimiter: delimiter, quoted: target.quoted, stripsTabs: stripsTabs, level: level))
        command.heredocs.append(nextHeredoc)
        nextHeredoc += 1
    }
}
