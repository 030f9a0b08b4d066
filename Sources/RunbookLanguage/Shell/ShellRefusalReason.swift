/// Why a place in a shell command has no safe form for a value, and how to write it instead.
///
/// `{value}` in `help` stands for the expression as written and `{name}` for a variable name to suggest.
struct ShellRefusalReason: Sendable, Hashable {
    /// The rest of a sentence that starts with the expression.
    var problem: String
    /// How to fix it.
    var help: String

    private static let viaEnvironment = "pass it through the step's env: ({name}: \"{value}\") and read \"${name}\""

    static let singleQuoted = ShellRefusalReason(
        problem: "is inside single quotes ('…'), where the shell expands nothing, so its value cannot be handed "
            + "over safely",
        help: "end the single quotes around it: '…'\"{value}\"'…', or " + viaEnvironment)

    static let ansiCQuoted = ShellRefusalReason(
        problem: "is inside $'…' quotes, whose backslash escapes the shell interprets",
        help: "end the $'…' quotes around it: $'…'\"{value}\"$'…', or " + viaEnvironment)

    static let quotedHeredoc = ShellRefusalReason(
        problem: "is inside a heredoc whose delimiter is quoted (<<'EOF', <<\"EOF\" or <<\\EOF), where the shell "
            + "expands nothing, so its value cannot be handed over safely",
        help: "unquote the delimiter (<<EOF) and write the heredoc's own $, ` and \\ as \\$, \\` and \\\\, or "
            + viaEnvironment + " where the heredoc's reader can see it")

    static let arithmetic = ShellRefusalReason(
        problem: "is inside an arithmetic expression ($((…)), ((…)), $[…], let or for ((…))), which evaluates the text "
            + "it is given: in bash an array subscript such as a[$(cmd)] runs cmd",
        help: "assign it to a variable first (n={value}), check it is a number (case $n in ''|*[!0-9]*) exit 1;; "
            + "esac, or 'pattern:' on the input), and only then use $n in arithmetic")

    static let conditional = ShellRefusalReason(
        problem: "is inside [[ … ]], where bash evaluates the operands of -eq, -lt and the like arithmetically: a "
            + "value such as a[$(cmd)] runs cmd",
        help: "use test instead, with the value as one word: [ \"{value}\" = expected ]")

    static let parameterExpansion = ShellRefusalReason(
        problem: "is inside a ${…} parameter expansion, whose parts the shell parses again (and bash evaluates "
            + "subscripts and offsets arithmetically)",
        help: "assign it to a variable first (v={value}) and expand that: \"${v%%:*}\"")

    static let afterBackslash = ShellRefusalReason(
        problem: "follows a backslash, which would escape the first character of the reference runbook puts there",
        help: "remove the backslash: the value reaches the command as it is, with nothing in it expanded")

    static let afterDollar = ShellRefusalReason(
        problem: "follows a '$', which would turn the reference runbook puts there into something else",
        help: "remove the '$' (or write a literal dollar sign as \\$): the value reaches the command as it is")

    static let heredocDelimiter = ShellRefusalReason(
        problem: "is part of a heredoc's delimiter", help: "write the delimiter literally, for example <<EOF")

    static let loopVariable = ShellRefusalReason(
        problem: "names the variable of a for or select loop", help: "use a fixed name: for item in {value}; do …")

    static let backticksInQuotes = ShellRefusalReason(
        problem: "is inside backticks within double quotes or a heredoc, whose backslashes sh and bash read "
            + "differently",
        help: "use $(…) instead of the backticks")

    static let arraySubscript = ShellRefusalReason(
        problem: "is inside an array subscript, which bash evaluates arithmetically: a value such as a[$(cmd)] runs "
            + "cmd",
        help: "assign it to a variable first (i={value}), check it is a number (case $i in ''|*[!0-9]*) exit 1;; "
            + "esac), then write a[$i]")

    static func evaluated(_ command: String) -> ShellRefusalReason {
        ShellRefusalReason(
            problem: "is an argument of '\(command)', which runs its arguments as shell code",
            help: "give the value to the command that needs it as an argument (cmd \"{value}\") instead of through "
                + "'\(command)'")
    }

    static let trapAction = ShellRefusalReason(
        problem: "is an argument of 'trap', whose action the shell runs as code when the signal arrives",
        help: "put the action in a function that reads a variable: file={value}; cleanup() { rm -f -- \"$file\"; }; "
            + "trap cleanup EXIT")

    static func sourced(_ command: String) -> ShellRefusalReason {
        ShellRefusalReason(
            problem: "is an argument of '\(command)', which runs the file it names as shell code",
            help: "run a fixed script and give it the value as an argument")
    }

    static func variableName(_ command: String) -> ShellRefusalReason {
        ShellRefusalReason(
            problem: "names a variable of '\(command)', and bash evaluates the subscript of a name such as a[$(cmd)]",
            help: "use a fixed variable name and put the value in its value: name={value}")
    }

    static func attribute(_ command: String) -> ShellRefusalReason {
        ShellRefusalReason(
            problem: "is an argument of '\(command)' with -i, -a, -A or -n, whose values bash evaluates arithmetically "
                + "or as names",
            help: "assign it without those attributes (name={value}) and check it before using it as a number")
    }

    static func integerVariable(_ name: String) -> ShellRefusalReason {
        ShellRefusalReason(
            problem: "is assigned to '\(name)', which is declared with -i, so bash evaluates the value arithmetically",
            help: "assign it to a variable without -i and check it is a number before copying it into '\(name)'")
    }

    static func specialVariable(_ name: String) -> ShellRefusalReason {
        ShellRefusalReason(
            problem: "is assigned to '\(name)', whose value the shell later expands as a prompt (running the command "
                + "substitutions in it) or runs as a file",
            help: "assign it to a variable of your own: value={value}")
    }

    static func shellScript(_ shell: String) -> ShellRefusalReason {
        ShellRefusalReason(
            problem: "is part of the script that '\(shell) -c' runs, so its value would be parsed as shell code",
            help: "pass it as an argument after the script and read \"$1\": \(shell) -c 'cmd \"$1\"' \(shell) {value}; "
                + "or " + viaEnvironment)
    }

    static func shellScriptFile(_ shell: String) -> ShellRefusalReason {
        ShellRefusalReason(
            problem: "names or makes the script file that '\(shell)' runs, so its value would be run as shell code",
            help: "run a fixed script and give it the value as an argument: \(shell) script.sh {value}")
    }

    static func shellInput(_ reader: String) -> ShellRefusalReason {
        ShellRefusalReason(
            problem: "reaches the input of '\(reader)', which reads its input as shell commands",
            help: "give the value to the script as an argument (sh -s -- {value}, then \"$1\"), or " + viaEnvironment)
    }

    static func xargsShell(_ shell: String) -> ShellRefusalReason {
        ShellRefusalReason(
            problem: "reaches the input of 'xargs', which makes it part of what '\(shell)' runs as shell code",
            help: "give the value to the script as an argument instead: \(shell) -c 'cmd \"$1\"' \(shell) {value}")
    }

    static let remoteCommand = ShellRefusalReason(
        problem: "is part of the command ssh sends to the remote host, whose shell parses it again",
        help: "send the value as data the remote command reads, e.g. on its input: printf '%s\\n' {value} | "
            + "ssh HOST 'read -r v; cmd \"$v\"'; or quote it for the remote shell yourself")

    static func runsThroughShell(_ command: String) -> ShellRefusalReason {
        ShellRefusalReason(
            problem: "is an argument of '\(command)', which hands its command line to a shell that parses it again",
            help: "run the command without '\(command)', or pass the value through the environment: "
                + viaEnvironment)
    }

    static func unparsable(_ why: String) -> ShellRefusalReason {
        ShellRefusalReason(
            problem: "is in a command whose shell syntax runbook cannot follow: \(why)",
            help: "fix the command's syntax, or " + viaEnvironment)
    }
}
