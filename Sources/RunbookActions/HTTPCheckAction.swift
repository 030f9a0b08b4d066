import RunbookLanguage

/// `http.check`: requests a URL and fails unless the status (and, when asked, a body substring) match.
public struct HTTPCheckAction: Action {
    /// How many bytes of the body the `body` output keeps: the first ones.
    public static let bodyOutputLimit = 64 * 1024

    /// How long one request may take; the step's own timeout may end it sooner by cancelling the task.
    public var requestTimeout: Duration

    /// Creates the action; `requestTimeout` defaults to the catalog's 30 seconds.
    public init(requestTimeout: Duration = .seconds(30)) {
        self.requestTimeout = requestTimeout
    }

    /// The catalog's `http.check` spec.
    public var spec: ActionSpec { .builtin("http.check") }

    /// Sends the request; outputs `status`, `latency_ms` and `body`, also on a mismatch.
    /// - Throws: `ActionFailure` when no response arrived, or the status or body does not match.
    public func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value] {
        let url = try context.requiredString("url", action: "http.check")
        let method = (context.string("method") ?? "GET").uppercased()
        let expected = try Self.expectedStatuses(context.parameters["expect_status"])
        let headers = try context.stringMap("headers", action: "http.check")
            .sorted { $0.key < $1.key }
            .map { HTTPHeader($0.key, $0.value) }
        let request = HTTPRequest(
            method: method, url: url, headers: headers, body: context.string("body").map { Array($0.utf8) },
            timeout: requestTimeout)

        let response: HTTPResponse
        do {
            response = try await request.send()
        } catch {
            throw error.code == .cancelled ? ActionFailure.cancelled() : ActionFailure(error.description)
        }
        let outputs: [String: Value] = [
            "status": .number(Double(response.status)),
            "latency_ms": .number((response.totalTime / .milliseconds(1)).rounded()),
            "body": .string(Self.bodyOutput(response)),
        ]
        let shownURL = HTTPError.hidingPassword(in: url)
        guard expected.contains(response.status) else {
            throw ActionFailure(
                "\(method) \(shownURL) returned \(response.status), expected \(Self.phrase(expected))", outputs: outputs
            )
        }
        if let substring = context.string("expect_body"), !response.text.contains(substring) {
            throw ActionFailure(
                "\(method) \(shownURL) returned \(response.status) but the body does not contain '\(substring)'"
                    + Self.bodyHint(response),
                outputs: outputs)
        }
        return outputs
    }

    /// `expect_status` as statuses: a number, a numeric string or a list of them; 200 when absent.
    static func expectedStatuses(_ value: Value?) throws(ActionFailure) -> [Int] {
        func status(_ value: Value) -> Int? {
            guard let number = value.numericValue, number.rounded() == number, (100...599).contains(number) else {
                return nil
            }
            return Int(number)
        }
        switch value {
        case nil, .null?:
            return [200]
        case .array(let items)?:
            let statuses = items.compactMap(status)
            guard !statuses.isEmpty, statuses.count == items.count else { break }
            return statuses
        case let single?:
            if let code = status(single) { return [code] }
        }
        throw ActionFailure("http.check: 'expect_status' must be an HTTP status (100 to 599) or a list of them")
    }

    /// `200`, `200 or 204`, `one of 200, 201, 204`.
    private static func phrase(_ statuses: [Int]) -> String {
        switch statuses.count {
        case 1: "\(statuses[0])"
        case 2: "\(statuses[0]) or \(statuses[1])"
        default: "one of " + statuses.map(String.init).joined(separator: ", ")
        }
    }

    /// The start of the body as text, with a marker when the rest was cut.
    private static func bodyOutput(_ response: HTTPResponse) -> String {
        guard response.bodyByteCount > bodyOutputLimit else { return response.text }
        var kept = response.body.prefix(bodyOutputLimit)
        // End on a character boundary rather than in the middle of a UTF-8 sequence.
        if let lead = kept.lastIndex(where: { $0 & 0xC0 != 0x80 }) {
            let length = kept[lead] >= 0xF0 ? 4 : kept[lead] >= 0xE0 ? 3 : kept[lead] >= 0xC0 ? 2 : 1
            if kept.distance(from: lead, to: kept.endIndex) < length { kept = kept[..<lead] }
        }
        return String(decoding: kept, as: UTF8.self) + "\n…[truncated \(response.bodyByteCount - kept.count) bytes]"
    }

    /// `; the body starts with "…"`, for a body mismatch.
    private static func bodyHint(_ response: HTTPResponse) -> String {
        let start = response.text.prefix(80).map { $0.isNewline ? " " : $0 }
        guard !start.isEmpty else { return "; the body is empty" }
        return "; the body starts with \"\(String(start))\(response.bodyByteCount > 80 ? "…" : "")\""
    }
}
