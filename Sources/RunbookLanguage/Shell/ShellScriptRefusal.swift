import Foundation

/// A `${{ }}` of a shell command standing where no reference to an environment variable keeps its value from being
/// parsed as shell code, or in a command whose syntax the scanner cannot follow.
public struct ShellScriptRefusal: Sendable, Hashable {
    /// The expression's position among the command's expressions, from 0.
    public var index: Int
    /// The Unicode-scalar offset of the expression's `${{` in the command's text.
    public var offset: Int
    /// What is wrong, as the rest of a sentence that starts with the expression: "is inside single quotes …".
    public var problem: String
    /// How to fix it; `{value}` stands for the expression as written (`${{ inputs.svc }}`) and `{name}` for an
    /// environment variable's name to suggest.
    public var help: String

    /// Creates a refusal.
    public init(index: Int, offset: Int, problem: String, help: String) {
        self.index = index
        self.offset = offset
        self.problem = problem
        self.help = help
    }

    /// The refused expression as written in `template`: `${{ inputs.svc }}`.
    public func written(in template: Template) -> String {
        let expressions = template.expressions
        return expressions.indices.contains(index) ? "${{ \(expressions[index].source) }}" : "a ${{ }}"
    }

    /// The help with `{value}` and `{name}` filled in.
    public func help(value: String, name: String) -> String {
        help.replacingOccurrences(of: "{value}", with: value).replacingOccurrences(of: "{name}", with: name)
    }
}

/// Every refused `${{ }}` of a shell command.
public struct ShellScriptRejection: Error, Sendable, Hashable {
    /// The refusals, in the order of the expressions.
    public var refusals: [ShellScriptRefusal]

    /// Creates a rejection.
    public init(_ refusals: [ShellScriptRefusal]) {
        self.refusals = refusals
    }
}
