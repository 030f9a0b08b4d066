import RunbookLanguage
import RunbookStore

extension RunState {
    /// The runbook the run started with, read from the text its `run.started` recorded, so that whatever continues
    /// the run (`resume`, `runbook serve` after a restart) runs exactly that version, whatever the file says now.
    /// Nil for a run recorded before sources were kept.
    public func recordedRunbook(catalog: ActionCatalog = .builtin) -> Result<Runbook, ValidationFailure>? {
        guard let runbookSource else { return nil }
        return RunbookLoader(catalog: catalog).load(text: runbookSource, file: file)
    }

    /// What differs between the recorded runbook and `current`, the text of its file now: nil when they are the
    /// same or nothing was recorded, else the recorded and current digests.
    public func runbookChange(current: String?) -> RunResumed.RunbookChange? {
        guard let runbookDigest else { return nil }
        let now = current.map(ContentDigest.sha256)
        return now == runbookDigest ? nil : RunResumed.RunbookChange(recorded: runbookDigest, onDisk: now)
    }
}
