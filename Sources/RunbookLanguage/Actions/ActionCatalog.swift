/// The actions a runbook may name, by name.
public struct ActionCatalog: Sendable {
    /// The specs, in documentation order.
    public let specs: [ActionSpec]
    private let index: [String: Int]

    /// A catalog of `specs`; a later spec with an existing name replaces the earlier one.
    public init(_ specs: [ActionSpec]) {
        var index: [String: Int] = [:]
        var kept: [ActionSpec] = []
        for spec in specs {
            if let existing = index[spec.name] {
                kept[existing] = spec
            } else {
                index[spec.name] = kept.count
                kept.append(spec)
            }
        }
        self.specs = kept
        self.index = index
    }

    /// The spec of the action called `name`.
    public subscript(name: String) -> ActionSpec? { index[name].map { specs[$0] } }

    /// Every action name.
    public var names: [String] { specs.map(\.name) }

    /// The built-in actions of the runbook format, v1.
    public static let builtin = ActionCatalog(core + kubernetes + ecs + cloudWatchLogs + cloudWatch + rds + s3 + postgres)
}
