import Foundation
import RunbookLanguage

/// `logs.tail`: the newest events of a CloudWatch Logs group (`FilterLogEvents`, every stream interleaved), oldest
/// first and newest last.
public struct LogsTailAction: Action {
    /// Where credentials, region and endpoint come from besides the environment's settings.
    public var aws: AWSEnvironment
    /// How many events one `FilterLogEvents` page may hold; nil leaves it to CloudWatch Logs (up to 10,000).
    public var pageSize: Int?

    /// Creates the action; it reads this process's environment unless told otherwise.
    public init(aws: AWSEnvironment = .process, pageSize: Int? = nil) {
        self.aws = aws
        self.pageSize = pageSize
    }

    /// The catalog's `logs.tail` spec.
    public var spec: ActionSpec { .builtin("logs.tail") }

    /// Reads every page of events since `since` and keeps the last `lines`; outputs `lines` (each
    /// `TIME STREAM MESSAGE`) and `text` (the lines joined by newlines).
    /// - Throws: `ActionFailure` when the group does not exist or cannot be read.
    public func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value] {
        let group = try context.requiredString("group", action: spec.name)
        let since = try context.duration("since", action: spec.name, default: .seconds(15 * 60)) ?? .zero
        let limit = try context.integer("lines", action: spec.name, default: 100, in: 1...10_000) ?? 100
        let prefix = context.string("stream_prefix").flatMap { $0.isEmpty ? nil : $0 }
        let client = AWSClient(session: try AWSSession(target: context.target, environment: aws), service: .logs)

        let start = Date.now.addingTimeInterval(-Double(since / .milliseconds(1)) / 1000)
        var request = Request(
            logGroupName: group, startTime: Int64(start.timeIntervalSince1970 * 1000),
            filterPattern: context.string("filter_pattern").flatMap { $0.isEmpty ? nil : $0 },
            logStreamNamePrefix: prefix, limit: pageSize)
        var kept: [Event] = []
        repeat {
            let page: Response
            do {
                page = try await client.call("FilterLogEvents", request)
            } catch where error.type == "ResourceNotFoundException" {
                throw ActionFailure(
                    "ResourceNotFoundException: log group \(group) not found (\(client.session.environmentLabel), "
                        + "region \(client.session.region))")
            } catch {
                throw error.isCancelled ? ActionFailure.cancelled() : ActionFailure(error.message)
            }
            // Some emulators ignore logStreamNamePrefix; CloudWatch Logs itself already applied it.
            kept += (page.events ?? []).filter { prefix == nil || $0.logStreamName?.hasPrefix(prefix ?? "") == true }
            if kept.count > 2 * limit { kept.removeFirst(kept.count - limit) }
            request.nextToken = page.nextToken.flatMap { $0.isEmpty ? nil : $0 }
        } while request.nextToken != nil
        let lines = kept.sorted { ($0.timestamp ?? 0) < ($1.timestamp ?? 0) }.suffix(limit).map(\.line)
        return ["lines": .array(lines.map(Value.string)), "text": .string(lines.joined(separator: "\n"))]
    }

    private struct Request: Encodable {
        var logGroupName: String
        var startTime: Int64
        var filterPattern: String?
        var logStreamNamePrefix: String?
        var limit: Int?
        var interleaved = true
        var nextToken: String?
    }

    private struct Response: Decodable {
        var events: [Event]?
        var nextToken: String?
    }

    private struct Event: Decodable {
        var timestamp: Int64?
        var logStreamName: String?
        var message: String?

        /// `2026-11-22T10:04:05.123Z api/app/0f6a… message`, without the message's trailing newline.
        var line: String {
            let time = Date(timeIntervalSince1970: Double(timestamp ?? 0) / 1000)
                .formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
            var text = message ?? ""
            while text.last?.isNewline == true { text.removeLast() }
            return "\(time) \(logStreamName ?? "-") \(text)"
        }
    }
}
