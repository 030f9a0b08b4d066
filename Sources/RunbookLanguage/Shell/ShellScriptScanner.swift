/// Reads a shell command template the way `sh` and `bash` parse it, to find where each `${{ }}` stands: a word,
/// inside `"…"`, in a heredoc, in a comment, or in a place where no reference to a variable keeps its value from being
/// parsed as code (inside `'…'`, `$((…))`, `[[ … ]]`, `${…}`, a quoted heredoc, the script of `sh -c`, an `eval`…).
///
/// It follows quotes, backslashes, `$'…'`, comments, heredocs (several on a line, `<<-`), `$(…)`, backticks
/// (recursively, after their backslashes are removed), `$((…))`, `${…}`, `[[ … ]]`, `((…))`, line continuations,
/// compound commands and `case` patterns. What it cannot follow (an unclosed quote, a stray `)`, a heredoc without its
/// delimiter line) makes it refuse the command's values rather than guess.
struct ShellScriptScanner {
    /// One piece of the command: a byte of its text, or the value of the `n`-th `${{ }}`.
    enum Unit: Hashable, Sendable {
        case byte(UInt8)
        case value(Int)
    }

    /// A construct the scanner cannot follow.
    struct Failure: Error {
        var message: String
    }

    /// The kind of place each value stands in, by value.
    var contexts: [Int: ShellValuePlacement.Context] = [:]
    /// The values that begin an argument before `--`, each with the values before it in its word.
    private(set) var argumentStarts: [Int: [Int]] = [:]
    /// Why values are refused, by value.
    private(set) var refusals: [Int: ShellRefusalReason] = [:]
    /// Why scanning stopped early, if it did.
    private(set) var failure: ShellRefusalReason?

    /// The text being read now: the whole command, or the body of backticks or of a heredoc.
    var units: [Unit]
    /// The position in `units`.
    var position = 0
    /// How deep in substitutions and nested texts the scanner is; heredocs belong to one level.
    var level = 0
    /// The whole command, for line numbers.
    let command: [Unit]
    /// Where in `command` the nested text being read began, while one is.
    var outerPosition: Int?

    /// Reasons that apply to every value met, outermost first (inside `[[ … ]]`, `$((…))`, `${…}`…).
    var refusalStack: [ShellRefusalReason] = []
    /// Every value in the order met; a construct's values are the stretch added while reading it.
    var noted: [Int] = []
    /// Heredocs whose body is still to come.
    var pending: [PendingHeredoc] = []
    /// The commands of pipelines, for what is fed to a shell.
    var stages: [Stage] = []
    /// Variables declared with `-i`, whose assignments bash evaluates arithmetically.
    var integerNames: Set<String> = []
    /// The next heredoc's id.
    var nextHeredoc = 0

    /// A `<<` whose body has not been read.
    struct PendingHeredoc {
        var id: Int
        var delimiter: [UInt8]
        var quoted: Bool
        var stripsTabs: Bool
        var level: Int
        var stage: Int?
        var readsCode: ShellRefusalReason?
    }

    /// A command of a pipeline: its values, and why they are refused when it feeds a shell.
    struct Stage {
        var values: [Int]
        var readsCode: ShellRefusalReason?
        var feedsCode: ShellRefusalReason?
    }

    /// Scans `units` (see ``units(of:)``).
    init(_ units: [Unit]) {
        self.units = units
        self.command = units
    }

    /// Reads the whole command; afterwards every value has a context or a refusal, or `failure` is set.
    mutating func scan() {
        do {
            _ = try scanList(until: .input)
        } catch {
            failure = .unparsable(error.message)
        }
    }

    /// The units of a template's text, each `${{ … }}` one value, with the Unicode-scalar offset of each `${{`;
    /// expressions are delimited exactly as ``Template`` delimits them.
    static func units(of text: String) -> (units: [Unit], offsets: [Int]) {
        let bytes = Array(text.utf8)
        var units: [Unit] = []
        units.reserveCapacity(bytes.count)
        var offsets: [Int] = []
        var index = 0
        var offset = 0
        while index < bytes.count {
            if Template.opensExpression(bytes, at: index),
               case .found(let close, let closeOffset) = ExpressionLexer.templateClose(
                   in: bytes, from: index + 3, offset: offset + 3) {
                units.append(.value(offsets.count))
                offsets.append(offset)
                index = close + 2
                offset = closeOffset + 2
                continue
            }
            units.append(.byte(bytes[index]))
            if bytes[index] & 0xC0 != 0x80 { offset += 1 }
            index += 1
        }
        return (units, offsets)
    }

    // MARK: Reading

    /// The unit `ahead` places past the position.
    func peek(_ ahead: Int = 0) -> Unit? {
        position + ahead < units.count ? units[position + ahead] : nil
    }

    /// Whether the unit `ahead` places past the position is `byte`.
    func sees(_ byte: Unicode.Scalar, _ ahead: Int = 0) -> Bool {
        peek(ahead) == .byte(UInt8(ascii: byte))
    }

    /// A failure naming the line of the command it is on.
    func fail(_ message: String) -> Failure {
        let end = outerPosition ?? min(position, command.count)
        let line = 1 + command[..<end].count { $0 == .byte(UInt8(ascii: "\n")) }
        return Failure(message: "\(message) (line \(line) of the command)")
    }

    // MARK: Findings

    /// Records value `index` in a place of kind `context`, unless an enclosing construct refuses it.
    mutating func place(_ index: Int, _ context: ShellValuePlacement.Context) {
        noted.append(index)
        if let reason = refusalStack.first {
            refuse(index, reason)
        } else {
            contexts[index] = context
        }
    }

    /// Records value `index` in a place with no safe form; an enclosing construct's reason comes first.
    mutating func meetRefused(_ index: Int, _ reason: ShellRefusalReason) {
        noted.append(index)
        refuse(index, refusalStack.first ?? reason)
    }

    /// Refuses value `index`, keeping an earlier reason.
    mutating func refuse(_ index: Int, _ reason: ShellRefusalReason) {
        if refusals[index] == nil { refusals[index] = reason }
    }

    /// Refuses value `index` for what a command does with it, which matters more than where it is quoted.
    mutating func overrule(_ index: Int, _ reason: ShellRefusalReason) {
        refusals[index] = reason
    }

    /// Marks value `index` as beginning an argument, after `preceding` in its word.
    mutating func beginsArgument(_ index: Int, after preceding: [Int]) {
        argumentStarts[index] = preceding
    }
}
