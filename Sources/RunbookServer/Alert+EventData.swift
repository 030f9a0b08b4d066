import RunbookAlerts
import RunbookLanguage

extension Alert {
    /// The alert as an `alert.received` event holds it (what timelines read): `source`, `status`, `starts_at`,
    /// `ends_at`, `fingerprint`, `labels` and `annotations`.
    var eventData: [String: Value] {
        var data: [String: Value] = [
            "source": .string(source.rawValue), "status": .string(status.rawValue),
            "starts_at": .string(Timestamp.format(startsAt)), "fingerprint": .string(fingerprint),
            "labels": .object(labels.mapValues(Value.string)),
            "annotations": .object(annotations.mapValues(Value.string)),
        ]
        if let endsAt { data["ends_at"] = .string(Timestamp.format(endsAt)) }
        return data
    }
}
