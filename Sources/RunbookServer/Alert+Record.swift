import RunbookAlerts
import RunbookLanguage
import RunbookStore

extension Alert {
    /// The alert as its events hold it (what timelines read): source, status, start and end, fingerprint, labels and
    /// annotations; the dispatcher adds what the alert came to.
    func record(_ disposition: AlertRecord.Disposition) -> AlertRecord {
        AlertRecord(
            disposition, source: source.rawValue, status: status.rawValue, startsAt: Timestamp.format(startsAt),
            endsAt: endsAt.map(Timestamp.format), fingerprint: fingerprint,
            labels: labels.mapValues(Value.string), annotations: annotations.mapValues(Value.string))
    }
}
