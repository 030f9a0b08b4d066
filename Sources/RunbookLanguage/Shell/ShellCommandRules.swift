/// What the scanner knows of commands that parse their arguments, or their input, as shell code again: `eval`,
/// `sh -c`, `ssh HOST CMD`, `trap` and the like, and bash builtins that evaluate names or numbers.
///
/// Recognised by the words as written, so a command named through a variable (`$SHELL -c`) is not seen: the
/// documentation says so.
enum ShellCommandRules {
    /// What one simple command means for the values in its words.
    struct Verdict: Sendable {
        /// Values to refuse, with why.
        var refusals: [(index: Int, reason: ShellRefusalReason)] = []
        /// Set when the command reads its standard input as shell code: what it feeds there must be refused.
        var readsCode: ShellRefusalReason?
        /// False for commands whose operands are never options (`test`, `[`).
        var checksLeadingDashes = true
        /// Variables the command declares as integers (`declare -i n`).
        var integerNames: [String] = []

        mutating func refuse(_ words: some Sequence<ShellWord>, _ reason: ShellRefusalReason) {
            for word in words {
                for index in word.values { refusals.append((index, reason)) }
            }
        }
    }

    /// The shells whose `-c` operand is a script.
    static let shells: Set<String> = [
        "sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "yash", "posh", "rbash", "fish", "csh", "tcsh",
    ]
    /// Commands that run the command they are given, so that a shell after them reads what is piped in.
    static let wrappers: Set<String> = [
        "sudo", "doas", "env", "nice", "nohup", "timeout", "exec", "command", "stdbuf", "ionice", "setsid", "chroot",
        "time", "busybox", "kubectl", "docker", "podman", "xargs",
    ]
    /// ssh's options that take the next word as their argument.
    private static let sshOptionsWithArgument = Set("BbcDEeFIiJLlmOoPpQRSWw".utf8)

    /// The verdict on a simple command's words (its assignments excluded).
    /// - Parameters:
    ///   - words: The command name and its arguments.
    ///   - integerNames: Variables declared with `-i` earlier in the script.
    static func judge(_ words: [ShellWord], integerNames: Set<String>) -> Verdict {
        var verdict = Verdict()
        var nameIndex = 0
        while nameIndex < words.count, let name = words[nameIndex].text, name == "command" || name == "builtin" {
            nameIndex += 1
            while nameIndex < words.count, let option = words[nameIndex].text, option.hasPrefix("-") { nameIndex += 1 }
        }
        if nameIndex < words.count, let name = words[nameIndex].text {
            judgeBuiltin(name, arguments: Array(words[(nameIndex + 1)...]), integerNames: integerNames, &verdict)
        }
        judgePrograms(words, &verdict)
        return verdict
    }

    private static func judgeBuiltin(
        _ name: String, arguments: [ShellWord], integerNames: Set<String>, _ verdict: inout Verdict
    ) {
        switch name {
        case "eval", "alias":
            verdict.refuse(arguments, .evaluated(name))
        case "trap":
            verdict.refuse(arguments, .trapAction)
        case "let":
            verdict.refuse(arguments, .arithmetic)
        case ".", "source":
            verdict.refuse(arguments, .sourced(name))
        case "unset", "read", "readarray", "mapfile", "getopts":
            verdict.refuse(arguments, .variableName(name))
        case "declare", "typeset", "local", "export", "readonly":
            judgeDeclaration(name, arguments: arguments, integerNames: integerNames, &verdict)
        case "printf":
            for (position, word) in arguments.enumerated() where word.text == "-v" && position + 1 < arguments.count {
                verdict.refuse([arguments[position + 1]], .variableName("printf -v"))
            }
        case "test", "[":
            verdict.checksLeadingDashes = false
            for (position, word) in arguments.enumerated()
            where (word.text == "-v" || word.text == "-R") && position + 1 < arguments.count {
                verdict.refuse([arguments[position + 1]], .variableName(name))
            }
        default:
            break
        }
    }

    /// `declare` and its kin: values only in the value part of `NAME=value`, never with attributes that make bash
    /// evaluate them.
    private static func judgeDeclaration(
        _ name: String, arguments: [ShellWord], integerNames: Set<String>, _ verdict: inout Verdict
    ) {
        let options = arguments.compactMap(\.text).filter { ($0.hasPrefix("-") || $0.hasPrefix("+")) && $0.count > 1 }
        let evaluating = options.contains { $0.dropFirst().contains { "iaAn".contains($0) } }
        for word in arguments where !word.values.isEmpty {
            if evaluating {
                verdict.refuse([word], .attribute(name))
            } else if let assigned = word.assignment {
                if integerNames.contains(assigned) {
                    verdict.refuse([word], .integerVariable(assigned))
                } else {
                    for index in word.subscriptValues { verdict.refusals.append((index, .arraySubscript)) }
                }
            } else {
                verdict.refuse([word], .variableName(name))
            }
        }
        if options.contains(where: { $0.hasPrefix("-") && $0.contains("i") }) {
            verdict.integerNames += arguments.compactMap { $0.assignment ?? $0.text }.filter { !$0.hasPrefix("-") }
        }
    }

    /// Shells, ssh and the commands that run theirs through a shell, wherever they stand among the words (after
    /// `sudo`, `env`, `xargs`, `kubectl exec … --` and the like).
    private static func judgePrograms(_ words: [ShellWord], _ verdict: inout Verdict) {
        let leader = words.first?.commandName
        var position = 0
        while position < words.count {
            guard let name = words[position].commandName else {
                position += 1
                continue
            }
            if shells.contains(name) {
                let runsFirst = position == 0 || leader.map(wrappers.contains) == true
                judgeShell(name, words: words, at: position, runsFirst: runsFirst, &verdict)
                // xargs makes the shell's script, or its script file, out of what it reads.
                if words[..<position].contains(where: { $0.commandName == "xargs" }) {
                    verdict.readsCode = .xargsShell(name)
                }
                return
            }
            switch name {
            case "ssh":
                judgeSSH(words: words, at: position, &verdict)
                return
            case "su", "runuser", "sg", "watch":
                verdict.refuse(words[(position + 1)...], .runsThroughShell(name))
                return
            default:
                position += 1
            }
        }
    }

    /// `sh [options] -c SCRIPT [arguments]`, `sh FILE [arguments]`, `sh` or `sh -s` reading commands from input.
    private static func judgeShell(
        _ shell: String, words: [ShellWord], at start: Int, runsFirst: Bool, _ verdict: inout Verdict
    ) {
        var position = start + 1
        var script = false
        var readsInput = false
        options: while position < words.count, let option = words[position].text {
            switch option {
            case "--":
                position += 1
                break options
            case "-":
                readsInput = true
                position += 1
                break options
            case "--rcfile", "--init-file":
                position += 2
            case _ where option.hasPrefix("--"):
                position += 1
            case _ where (option.hasPrefix("-") || option.hasPrefix("+")) && option.count > 1:
                let letters = option.dropFirst()
                if option.hasPrefix("-"), letters.contains("c") { script = true }
                if option.hasPrefix("-"), letters.contains("s") { readsInput = true }
                position += letters.last == "o" || letters.last == "O" ? 2 : 1
            default:
                break options
            }
        }
        if script {
            if position < words.count { verdict.refuse([words[position]], .shellScript(shell)) }
        } else if readsInput || position >= words.count {
            if runsFirst { verdict.readsCode = .shellInput(shell) }
        } else {
            verdict.refuse([words[position]], .shellScriptFile(shell))
        }
    }

    /// `ssh [options] HOST [COMMAND…]`: the remote shell parses the command; without one it reads its input.
    private static func judgeSSH(words: [ShellWord], at start: Int, _ verdict: inout Verdict) {
        var position = start + 1
        while position < words.count, let option = words[position].literal, option.first == UInt8(ascii: "-") {
            position += 1
            if option.elementsEqual("--".utf8) { break }
            for (offset, letter) in option.enumerated().dropFirst() where sshOptionsWithArgument.contains(letter) {
                if offset == option.count - 1 { position += 1 }
                break
            }
        }
        let command = words.dropFirst(position + 1)
        verdict.refuse(command, .remoteCommand)
        if command.isEmpty || command.contains(where: { $0.commandName.map(shells.contains) == true }) {
            verdict.readsCode = .shellInput("ssh")
        }
    }
}
