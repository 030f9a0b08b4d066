import RunbookLanguage

/// A draft with the part of its canonical JSON that does not depend on its place in the log already encoded:
/// `,"run":…,"incident":…,"type":…,"step":…,"actor":…,"data":…`.
///
/// Callers encode their drafts on their own task, so the writer, which must work one transaction at a time, only
/// adds `seq`, `ts` and `prev` and hashes.
struct EncodedDraft: Sendable {
    /// The draft.
    var draft: EventDraft
    /// The canonical JSON from `,"run":` to the end of `data`.
    var body: [UInt8]
    /// Whether `data` reads back as the draft's (false when a `NaN` or infinity became `null`).
    var isExact: Bool

    /// Encodes `draft`.
    init(_ draft: EventDraft) {
        self.draft = draft
        var body: [UInt8] = []
        body.reserveCapacity(256)
        body.append(contentsOf: #","run":"#.utf8)
        CanonicalJSON.appendString(draft.run, to: &body)
        body.append(contentsOf: #","incident":"#.utf8)
        Self.appendOptional(draft.incident, to: &body)
        body.append(contentsOf: #","type":"#.utf8)
        CanonicalJSON.appendString(draft.type, to: &body)
        body.append(contentsOf: #","step":"#.utf8)
        Self.appendOptional(draft.step, to: &body)
        body.append(contentsOf: #","actor":"#.utf8)
        if let actor = draft.actor {
            body.append(contentsOf: #"{"kind":"#.utf8)
            CanonicalJSON.appendString(actor.kind, to: &body)
            body.append(contentsOf: #","id":"#.utf8)
            CanonicalJSON.appendString(actor.id, to: &body)
            // Only when there is one, so every record written before the field existed keeps its bytes.
            if let account = actor.account {
                body.append(contentsOf: #","account":"#.utf8)
                CanonicalJSON.appendString(account, to: &body)
            }
            body.append(UInt8(ascii: "}"))
        } else {
            body.append(contentsOf: "null".utf8)
        }
        body.append(contentsOf: #","data":"#.utf8)
        isExact = CanonicalJSON.append(draft.data, to: &body)
        self.body = body
    }

    /// The data as it reads back from the stored line.
    var storedData: Value {
        isExact ? draft.data : CanonicalJSON.normalized(draft.data)
    }

    /// Appends a string, or `null` for nil.
    private static func appendOptional(_ text: String?, to bytes: inout [UInt8]) {
        if let text {
            CanonicalJSON.appendString(text, to: &bytes)
        } else {
            bytes.append(contentsOf: "null".utf8)
        }
    }
}
