import Foundation

/// The S3 calls on one step's bucket, addressed as S3 wants it: virtual-hosted on AWS's own endpoint
/// (`https://BUCKET.s3.REGION.amazonaws.com`), path-style on an endpoint override (moto, LocalStack, MinIO) and for
/// names with dots, which a virtual host's certificate does not cover.
struct S3Client: Sendable {
    /// The bucket's name.
    var bucket: String
    private let client: AWSClient

    /// A client of `bucket` in `session`'s region.
    init(bucket: String, session: AWSSession) {
        self.bucket = bucket
        client = AWSClient(session: session, service: .s3)
    }

    /// The bucket's base URL, without a trailing slash.
    var bucketURL: String {
        let endpoint = client.session.endpoint(.s3)
        let name = PercentEncoding.component(bucket)
        let isPublic = endpoint == AWSService.s3.defaultEndpoint(region: client.session.region)
        guard isPublic, !bucket.contains("."), let scheme = endpoint.range(of: "://") else {
            return "\(endpoint)/\(name)"
        }
        return endpoint.replacingCharacters(in: scheme, with: "://\(name).")
    }

    /// `environment 'prod', region eu-west-1`, for messages.
    var whereabouts: String { "\(client.session.environmentLabel), region \(client.session.region)" }

    /// One page of `ListObjectsV2` under `prefix` (of at most `pageSize` objects when given), and the region S3
    /// says the bucket is in.
    func listObjects(
        prefix: String, continuation: String?, pageSize: Int?
    ) async throws(AWSError) -> (page: XMLTree, region: String?) {
        var query = ["list-type": "2"]
        if let pageSize { query["max-keys"] = String(pageSize) }
        if !prefix.isEmpty { query["prefix"] = prefix }
        if let continuation { query["continuation-token"] = continuation }
        let answer = try await client.get("ListObjectsV2", url: bucketURL + "/", query: query)
        return (try client.xml("ListObjectsV2", answer), answer.header("x-amz-bucket-region"))
    }

    /// The bucket policy's JSON text, nil when the bucket has none.
    func policy() async throws(AWSError) -> String? {
        do {
            return try await client.get("GetBucketPolicy", url: bucketURL + "/", query: ["policy": ""]).text
        } catch where error.type == "NoSuchBucketPolicy" {
            return nil
        }
    }

    /// The `PublicAccessBlockConfiguration`, nil when none is set on the bucket.
    func publicAccessBlock() async throws(AWSError) -> XMLTree? {
        do {
            return try await client.getXML("GetPublicAccessBlock", url: bucketURL + "/", query: ["publicAccessBlock": ""])
        } catch where error.type == "NoSuchPublicAccessBlockConfiguration" {
            return nil
        }
    }
}
