import RunbookLanguage

/// `notify`: posts a message to a channel from the configuration's `notify:` (a Slack incoming webhook or a generic
/// JSON webhook).
///
/// Network failures, 429 and 5xx answers are retried; messages name the channel, never its URL (a secret).
public struct NotifyAction: Action {
    /// The waits before the second and later tries; one try more than there are delays.
    public var retryDelays: [Duration]
    /// How long one try may take.
    public var requestTimeout: Duration

    /// Creates the action: 3 tries, 0.5 s then 2 s apart, 10 s each.
    public init(retryDelays: [Duration] = [.milliseconds(500), .seconds(2)], requestTimeout: Duration = .seconds(10)) {
        self.retryDelays = retryDelays
        self.requestTimeout = requestTimeout
    }

    /// The catalog's `notify` spec.
    public var spec: ActionSpec { .builtin("notify") }

    /// Posts the message; no outputs.
    /// - Throws: `ActionFailure` for an unknown channel, an answer other than 2xx, or when every try failed.
    public func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value] {
        let name = try context.requiredString("channel", action: "notify")
        let message = try context.requiredString("message", action: "notify")
        guard let channel = context.channels[name] else {
            let known = context.channels.keys.sorted().map { "'\($0)'" }
            throw ActionFailure(
                "notify: unknown channel '\(name)'; "
                    + (known.isEmpty
                        ? "no channels are configured under 'notify:' in runbook.config.yaml"
                        : "the configured channels are \(known.joined(separator: ", "))"))
        }
        let payload: Value =
            switch channel.kind {
            case .slack: ["text": .string(message)]
            case .webhook:
                [
                    "text": .string(message), "channel": .string(name), "run": .string(context.runID),
                    "step": .string(context.stepID),
                ]
            }
        let request = HTTPRequest(
            method: "POST", url: channel.url, headers: [HTTPHeader("Content-Type", "application/json")],
            body: Array(payload.jsonString(pretty: false).utf8), timeout: requestTimeout)

        var problem = ""
        for attempt in 0...retryDelays.count {
            if attempt > 0 {
                do { try await Task.sleep(for: retryDelays[attempt - 1]) } catch { throw ActionFailure.cancelled() }
            }
            let response: HTTPResponse
            do {
                response = try await request.send()
            } catch {
                if error.code == .cancelled { throw ActionFailure.cancelled() }
                let reason = Self.hiding(channel.url, in: error.reason)
                guard error.code != .invalidRequest else {
                    throw ActionFailure("notify: channel '\(name)' has an unusable webhook URL: \(reason)")
                }
                problem = reason
                continue
            }
            if (200..<300).contains(response.status) { return [:] }
            let answer = Self.hiding(channel.url, in: Self.summary(of: response))
            guard response.status >= 500 || response.status == 429 else {
                throw ActionFailure(
                    "notify: channel '\(name)' rejected the message with HTTP \(answer); "
                        + "check the webhook URL configured for it")
            }
            problem = "it answered HTTP \(answer)"
        }
        let tries = retryDelays.count + 1
        throw ActionFailure(
            "notify: could not post to channel '\(name)' (\(tries) \(tries == 1 ? "try" : "tries")): \(problem)")
    }

    /// `503` or `403 (invalid_token)`: the status and the start of a short answer.
    private static func summary(of response: HTTPResponse) -> String {
        let text = response.text.prefix(120).map { $0.isNewline ? " " : $0 }
        return text.isEmpty ? "\(response.status)" : "\(response.status) (\(String(text)))"
    }

    /// `text` with every occurrence of the secret `url` replaced.
    private static func hiding(_ url: String, in text: String) -> String {
        url.isEmpty ? text : text.replacing(url, with: "<webhook URL>")
    }
}
