/// What a timeline covers: one run, or every run of an incident with its alerts and notes.
public enum TimelineScope: Sendable, Hashable {
    /// One run, by id.
    case run(String)
    /// An incident, by id.
    case incident(String)

    /// `run` or `incident`.
    var kind: String {
        switch self {
        case .run: "run"
        case .incident: "incident"
        }
    }

    /// The run's or incident's id.
    var id: String {
        switch self {
        case .run(let id), .incident(let id): id
        }
    }
}
