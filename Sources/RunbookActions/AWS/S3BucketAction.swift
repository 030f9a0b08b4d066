import Foundation
import RunbookLanguage

/// `s3.bucket`: what "uploads fail" needs to decide — whether the bucket exists and answers, its policy and
/// public-access block, and the newest objects under a prefix.
public struct S3BucketAction: Action {
    /// Where credentials, region and endpoint come from besides the environment's settings.
    public var aws: AWSEnvironment
    /// How many objects one `ListObjectsV2` page may hold; nil leaves it to S3 (up to 1,000).
    public var pageSize: Int?

    /// Creates the action; it reads this process's environment unless told otherwise.
    public init(aws: AWSEnvironment = .process, pageSize: Int? = nil) {
        self.aws = aws
        self.pageSize = pageSize
    }

    /// The catalog's `s3.bucket` spec.
    public var spec: ActionSpec { .builtin("s3.bucket") }

    /// Lists the objects under `prefix` (every page, up to `max_objects`), then reads the policy and the
    /// public-access block; outputs `exists` false, and nothing else of note, when the bucket does not exist.
    /// - Throws: `ActionFailure` when S3 cannot be reached or refuses a call (other than a missing bucket, policy or
    ///   public-access block).
    public func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value] {
        let bucket = try context.requiredString("bucket", action: spec.name)
        let prefix = context.string("prefix") ?? ""
        let newest = try context.integer("newest", action: spec.name, default: 10, in: 0...1_000) ?? 10
        let limit = try context.integer("max_objects", action: spec.name, default: 10_000, in: 1...1_000_000) ?? 10_000
        let s3 = S3Client(bucket: bucket, session: try AWSSession(target: context.target, environment: aws))

        var objects: [S3Object] = []
        var region: String?
        var continuation: String?
        var truncated = false
        do {
            repeat {
                let (page, pageRegion) = try await s3.listObjects(prefix: prefix, continuation: continuation, pageSize: pageSize)
                region = region ?? pageRegion
                objects += page.all("Contents").map(S3Object.init)
                continuation = page.string("IsTruncated") == "true" ? page.string("NextContinuationToken") : nil
                truncated = continuation != nil && objects.count >= limit
            } while continuation != nil && !truncated
        } catch where error.type == "NoSuchBucket" {
            context.emit(OutputLine(stream: .stderr, text: "bucket \(bucket) does not exist (\(s3.whereabouts))"))
            return Self.missing
        } catch {
            throw failure(error, s3)
        }
        let policy: String?
        let block: XMLTree?
        do {
            policy = try await s3.policy()
            block = try await s3.publicAccessBlock()
        } catch {
            throw failure(error, s3)
        }
        objects = Array(objects.prefix(limit))
        // LastModified has whole seconds: keys break ties, so the order does not depend on the listing's.
        let byAge = objects.sorted {
            ($0.lastModified ?? .distantPast, $0.key) > ($1.lastModified ?? .distantPast, $1.key)
        }
        let latest = byAge.first?.lastModified
        let settings = PublicAccessBlock(block)
        context.emit(OutputLine(
            stream: .stdout,
            text: "\(bucket): \(objects.count)\(truncated ? "+" : "") objects under '\(prefix)', newest "
                + "\(latest?.ISO8601Format() ?? "none"); policy \(policy == nil ? "none" : "set"); public access "
                + (settings?.allBlocked == true ? "blocked" : "not fully blocked")))
        return [
            "exists": true, "region": .string(region ?? ""),
            "policy": policy.map(Self.parsedPolicy) ?? .null,
            "public_access_block": settings?.value ?? .null,
            "public_access_blocked": .bool(settings?.allBlocked ?? false),
            "count": .number(Double(objects.count)), "truncated": .bool(truncated),
            "latest_modified": latest.map { .string($0.ISO8601Format()) } ?? .null,
            "latest_age_seconds": latest.map { .number(Date.now.timeIntervalSince($0).rounded()) } ?? .null,
            "objects": .array(byAge.prefix(newest).map(\.value)),
        ]
    }

    /// The outputs for a bucket that does not exist.
    private static let missing: [String: Value] = [
        "exists": false, "region": "", "policy": .null, "public_access_block": .null, "public_access_blocked": false,
        "count": 0, "truncated": false, "latest_modified": .null, "latest_age_seconds": .null, "objects": [],
    ]

    /// The policy document as a value; its text when it is not JSON.
    private static func parsedPolicy(_ text: String) -> Value {
        (try? Value(jsonString: text)) ?? .string(text)
    }

    private func failure(_ error: AWSError, _ s3: S3Client) -> ActionFailure {
        if error.isCancelled { return ActionFailure.cancelled() }
        return ActionFailure("\(error.message) (bucket \(s3.bucket))")
    }
}
