import RunbookLanguage

extension AuditEvent {
    /// Decodes a stored line, which is the truth about the record (the table's other columns are only indexes).
    /// - Parameters:
    ///   - line: The stored JSON line.
    ///   - seq: The row's sequence number, for the error message.
    ///   - store: The store's name (`sqlite:/x/state.db`), for the error message.
    /// - Throws: ``StoreError`` naming the record when the line is not a valid event.
    init(storedLine line: String, seq: Int64, store: String) throws(StoreError) {
        func invalid(_ reason: String) -> StoreError {
            StoreError(
                "record seq \(seq) of the store \(store) is not a valid event (\(reason)); "
                    + "run `runbook audit verify` to check the log", code: .corrupt)
        }
        let value: Value
        do {
            value = try Value(jsonString: line)
        } catch {
            throw invalid("it is not valid JSON")
        }
        guard case .object(let fields) = value else { throw invalid("it is not a JSON object") }

        func string(_ key: String) throws(StoreError) -> String {
            guard case .string(let text) = fields[key] else { throw invalid("\"\(key)\" is not a string") }
            return text
        }
        func optionalString(_ key: String) throws(StoreError) -> String? {
            switch fields[key] {
            case .string(let text): return text
            case .null, nil: return nil
            default: throw invalid("\"\(key)\" is neither a string nor null")
            }
        }

        guard case .number(let number) = fields["seq"], let storedSeq = Int64(exactly: number) else {
            throw invalid("\"seq\" is not an integer")
        }
        var actor: Actor?
        switch fields["actor"] {
        case .object(let actorFields):
            guard case .string(let kind) = actorFields["kind"], case .string(let id) = actorFields["id"] else {
                throw invalid("\"actor\" needs a string \"kind\" and \"id\"")
            }
            var account: String?
            switch actorFields["account"] {
            case .string(let name): account = name
            case nil: account = nil
            default: throw invalid("\"actor\".\"account\" is not a string")
            }
            actor = Actor(kind: kind, id: id, account: account)
        case .null, nil:
            actor = nil
        default:
            throw invalid("\"actor\" is not an object")
        }
        self.init(
            seq: storedSeq, timestamp: try string("ts"), run: try string("run"),
            incident: try optionalString("incident"),
            type: try string("type"), step: try optionalString("step"), actor: actor, data: fields["data"] ?? .null,
            prev: try string("prev"), hash: try string("hash"), line: line)
    }
}
