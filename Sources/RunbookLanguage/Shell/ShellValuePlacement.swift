/// Where one `${{ }}` of a shell command stands, as `sh` and `bash` parse the command, and so how the shell is handed
/// its value: always through an environment variable, referenced in the form the place needs.
public struct ShellValuePlacement: Sendable, Hashable {
    /// The kinds of place a value can be passed to safely.
    public enum Context: Sendable, Hashable {
        /// A shell word, or part of one, outside quotes: `kubectl -n ${{ x }}`, `name=${{ x }}`. The reference is
        /// `"${RUNBOOK_VALUE_n}"`.
        case word
        /// Inside `"…"`: the reference is `${RUNBOOK_VALUE_n}`.
        case doubleQuoted
        /// In the body of a heredoc whose delimiter is unquoted (`<<EOF`): the reference is `${RUNBOOK_VALUE_n}`.
        case heredoc
        /// In a comment, which the shell never runs.
        case comment
    }

    /// The kind of place.
    public var context: Context
    /// Whether the value may begin an argument of a simple command before any `--` argument, where a value that
    /// starts with `-` would be taken as an option.
    public var beginsArgument: Bool
    /// The values (0-based, in the command's order) written before this one in the same word with nothing else in
    /// between that is certainly non-empty: the value begins the argument only when they are all empty.
    public var precedingValues: [Int]
    /// The Unicode-scalar offset of the expression's `${{` in the command's text.
    public var offset: Int

    /// Creates a placement.
    public init(context: Context, beginsArgument: Bool, precedingValues: [Int], offset: Int) {
        self.context = context
        self.beginsArgument = beginsArgument
        self.precedingValues = precedingValues
        self.offset = offset
    }
}
