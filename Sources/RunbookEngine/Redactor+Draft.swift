import RunbookStore

extension Redactor {
    /// `draft` with every secret in its data replaced by `***`.
    public func redact(_ draft: EventDraft) -> EventDraft {
        var redacted = draft
        redacted.data = redact(draft.data)
        return redacted
    }
}
