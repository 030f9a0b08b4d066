import RunbookActions
import RunbookLanguage
import RunbookStore

/// Signs the log's head and hands a copy to witnesses: the `audit.notify` channels, which keep it where nobody
/// with access to the store can edit it.
///
/// Each post is recorded as `notify.sent` or `notify.failed` about the checkpoint (run `""`); a failed post never
/// undoes the checkpoint.
public struct CheckpointWitness: Sendable {
    /// A checkpoint made, and what became of its posts.
    public struct Outcome: Sendable {
        /// The signed checkpoint.
        public var checkpoint: AuditCheckpoint
        /// Its event in the log.
        public var event: AuditEvent
        /// Whether it was appended now (false: the newest record already was this key's checkpoint).
        public var isNew: Bool
        /// The channels it could not be posted to, with the reason: `ops: HTTP 500`.
        public var failures: [String]
    }

    /// The key that signs.
    public let key: CheckpointSigningKey
    /// The channels each new checkpoint is posted to.
    public let channels: [NotifyChannel]

    /// Creates a witness posting to `channels`.
    public init(key: CheckpointSigningKey, channels: [NotifyChannel]) {
        self.key = key
        self.channels = channels
    }

    /// Signs `store`'s head, records it and posts it (see ``EventStore/checkpoint(signingWith:)``).
    /// - Returns: The outcome, or nil for an empty log.
    /// - Throws: ``StoreError`` when the store cannot be read or written.
    public func checkpoint(_ store: any EventStore) async throws(StoreError) -> Outcome? {
        guard let made = try await store.checkpoint(signingWith: key) else { return nil }
        var outcome = Outcome(checkpoint: made.checkpoint, event: made.event, isNew: made.isNew, failures: [])
        guard made.isNew else { return outcome }
        let byName = Dictionary(channels.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let message = Self.describe(made.checkpoint, recordedAt: made.event.seq) + "\n"
            + made.checkpoint.data.jsonString(pretty: false)
        for channel in channels {
            let context = ActionContext(
                parameters: ["channel": .string(channel.name), "message": .string(message)], stepID: "",
                runID: AuditCheckpoint.run, workingDirectory: FilePaths.currentDirectory, channels: byName)
            var posted = NotificationOutcome(
                channel: channel.name, about: EventType.auditCheckpoint, aboutSeq: made.event.seq)
            do throws(ActionFailure) {
                _ = try await NotifyAction().execute(context)
            } catch {
                posted.error = error.message
                outcome.failures.append("\(channel.name): \(error.message)")
            }
            _ = try await store.append([EventDraft(run: AuditCheckpoint.run, actor: .system, posted)])
        }
        return outcome
    }

    /// One line for people: `checkpoint of seq 41 (hash …) of store …, signed at … by key …; recorded as seq 42`.
    public static func describe(_ checkpoint: AuditCheckpoint, recordedAt seq: Int64?) -> String {
        let signer = checkpoint.key.flatMap { try? CheckpointPublicKey(text: $0) }?.fingerprint ?? "?"
        var text = "checkpoint of seq \(checkpoint.seq.map(String.init) ?? "?") (hash \(checkpoint.hash ?? "?")) of "
            + "store \(checkpoint.store ?? "?"), signed at \(checkpoint.time ?? "?") by key \(signer)"
        if let seq { text += "; recorded as seq \(seq)" }
        return text
    }
}
