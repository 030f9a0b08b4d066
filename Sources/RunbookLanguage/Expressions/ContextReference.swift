/// The static part of one access chain that starts at a root context, such as `steps.build.outputs.x`.
///
/// The path stops at the first index that is not a string literal: `steps.a.outputs['x'].y[0]`
/// gives `["steps", "a", "outputs", "x", "y"]`, and a bare `inputs` gives `["inputs"]`.
public struct ContextReference: Sendable, Hashable, CustomStringConvertible {
    /// The root name followed by the statically known property names.
    public let path: [String]
    /// The Unicode-scalar offset of the root identifier in the parsed text.
    public let offset: Int

    /// Creates a reference.
    /// - Parameters:
    ///   - path: The root name followed by the statically known property names.
    ///   - offset: The Unicode-scalar offset of the root identifier.
    public init(path: [String], offset: Int) {
        self.path = path
        self.offset = offset
    }

    /// The path joined with dots, e.g. `steps.build.outputs.x`.
    public var description: String {
        path.joined(separator: ".")
    }
}
