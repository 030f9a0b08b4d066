/// What the scanner knows of commands that parse their arguments, or their input, as shell code again: `eval`,
/// `sh -c`, `ssh HOST CMD`, `trap` and the like, and bash builtins that evaluate names or numbers.
///
/// Recognised by the words as written; a command named by an expansion (`$SHELL -c`) is taken for a shell.
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
    /// Variables whose values shells expand as prompts (`PS4` under `set -x`, command substitutions included) or
    /// run as files (`BASH_ENV`, `ENV`).
    static let specialVariables: Set<String> = ["PS1", "PS2", "PS3", "PS4", "PROMPT_COMMAND", "BASH_ENV", "ENV"]
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
            // The file may be the command's input (/dev/stdin).
            verdict.refuse(arguments, .sourced(name))
            verdict.readsCode = .shellInput(name)
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
                if specialVariables.contains(assigned) {
                    verdict.refuse([word], .specialVariable(assigned))
                } else if integerNames.contains(assigned) {
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
        guard let first = words.first else { return }
        // A command named by an expansion (`$SHELL`, `$(which sh)`, sh``) may be a shell: its `-c` script and its
        // input are treated as a shell's.
        if first.literal == nil {
            judgeShell("…", words: words, at: 0, runsFirst: true, runsScriptFiles: false, &verdict)
            return
        }
        let leader = first.commandName
        let wrapped = leader.map(wrappers.contains) == true
        var position = 0
        while position < words.count {
            guard let name = words[position].commandName else {
                // After `sudo`, `command`, `exec`…, a word named by an expansion may be the shell they run.
                if wrapped {
                    judgeShell("…", words: words, at: position, runsFirst: true, runsScriptFiles: false, &verdict)
                    return
                }
                position += 1
                continue
            }
            if shells.contains(name) {
                let runsFirst = position == 0 || leader.map(wrappers.contains) == true
                judgeShell(name, words: words, at: position, runsFirst: runsFirst, runsScriptFiles: true, &verdict)
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

    /// `sh [options] -c SCRIPT [arguments]`, `sh FILE [arguments]` (when `runsScriptFiles`), `sh` or `sh -s` reading
    /// commands from input (when `runsFirst`: the shell is the command, or follows a wrapper).
    private static func judgeShell(
        _ shell: String, words: [ShellWord], at start: Int, runsFirst: Bool, runsScriptFiles: Bool,
        _ verdict: inout Verdict
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
        } else if position < words.count, words[position].literal == nil {
            // An option or script file named by an expansion (`sh $opts …`, sh -``) could be -c, -s or /dev/stdin.
            let reason: ShellRefusalReason = runsScriptFiles ? .shellScriptFile(shell) : .shellScript(shell)
            verdict.refuse(words[position...].prefix(2), reason)
            if runsFirst { verdict.readsCode = .shellInput(shell) }
        } else if readsInput || position >= words.count {
            if runsFirst { verdict.readsCode = .shellInput(shell) }
        } else if runsScriptFiles {
            verdict.refuse([words[position]], .shellScriptFile(shell))
            // /dev/stdin, /dev/fd/0, /proc/self/fd/0: the script is the command's input.
            if let file = words[position].text, file.hasPrefix("/dev/") || file.hasPrefix("/proc/") {
                verdict.readsCode = .shellInput(shell)
            }
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
