import RunbookLanguage
import RunbookStore

/// Reads the events of a run or an incident from the store and verifies the audit chain they belong to.
public enum TimelineSource {
    /// The events of `scope`, in order, and what verifying the chain up to the last of them said.
    /// - Parameters:
    ///   - scope: The run or incident.
    ///   - store: The store to read.
    ///   - allowUnverified: Whether a broken chain is reported in the document instead of refused.
    /// - Throws: ``ReportError``: invalid input for an unknown run or incident; chain broken (`seq 1234: hash
    ///   mismatch`) unless `allowUnverified`; store when it cannot be read.
    public static func load(_ scope: TimelineScope, from store: any EventStore, allowUnverified: Bool)
        async throws(ReportError) -> (events: [AuditEvent], chain: ChainStatus)
    {
        let events = try await read { () async throws(StoreError) in
            switch scope {
            case .run(let id): try await store.events(run: id)
            case .incident(let id): try await store.events(incident: id)
            }
        }
        guard let last = events.last else {
            switch scope {
            case .run(let id):
                let recent = (try? await store.recentRuns(limit: 50)) ?? []
                throw ReportError(
                    .invalidInput, "no run '\(id)' in the store" + NearestName.didYouMean(id, among: recent),
                    hint: "'runbook runs' lists recent runs")
            case .incident(let id):
                throw ReportError(
                    .invalidInput, "no events of incident '\(id)' in the store",
                    hint: "'runbook runs' shows each run's incident")
            }
        }
        let report = try await read { () async throws(StoreError) in try await store.verify() }
        let chain = ChainStatus(report: report, lastSeq: last.seq)
        if let failure = chain.failure, !allowUnverified {
            throw ReportError(
                .chainBroken, failure,
                hint: "the audit log does not verify, so the timeline could be false ('runbook audit verify' tells "
                    + "more); --allow-unverified renders it anyway, marked as unverified")
        }
        return (events, chain)
    }

    /// Runs a store call, turning its failure into a store ``ReportError``.
    private static func read<Result>(_ body: () async throws(StoreError) -> Result) async throws(ReportError) -> Result {
        do throws(StoreError) {
            return try await body()
        } catch {
            throw ReportError(.store, error.message)
        }
    }
}
