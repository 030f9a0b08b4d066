/// Who may do something the configuration grants (`permissions.break_glass`, `permissions.lower_severity`):
/// nobody (the default), everyone (`true`), or the people named, compared as ``Identity/key(_:)`` forms.
public enum PermissionList: Sendable, Hashable {
    /// Nobody may.
    case nobody
    /// Everyone may.
    case everyone
    /// These people may.
    case people([String])

    /// Whether `person` may.
    public func allows(_ person: String) -> Bool {
        switch self {
        case .nobody: false
        case .everyone: true
        case .people(let names): names.contains { Identity.same($0, person) }
        }
    }
}

/// What `permissions:` in `runbook.config.yaml` grants.
public struct Permissions: Sendable, Hashable {
    /// Who may pass, alone, a gate that needs more approvals (`runbook approve --break-glass --reason`).
    public var breakGlass: PermissionList = .nobody
    /// Who may run a runbook at a lower severity than its own (`runbook exec --severity … --reason`).
    public var lowerSeverity: PermissionList = .nobody

    /// Nothing granted.
    public init() {}
}
