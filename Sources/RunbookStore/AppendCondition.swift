/// What must still hold for a conditional append to go ahead: no event of `types` for `run` was recorded after
/// `seq`. Checked inside the append's own transaction, so a decision made from the log up to `seq` cannot be
/// overtaken by another writer, in this process or another, between the read and the write.
public struct AppendCondition: Sendable, Hashable {
    /// The run whose events are checked.
    public var run: String
    /// The sequence number of the newest event the decision read.
    public var seq: Int64
    /// The kinds of event that would change the decision.
    public var types: [String]

    /// Creates a condition.
    public init(run: String, noneAfter seq: Int64, of types: [String]) {
        self.run = run
        self.seq = seq
        self.types = types
    }
}
