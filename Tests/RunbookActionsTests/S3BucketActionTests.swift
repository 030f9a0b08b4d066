import Foundation
@testable import RunbookActions
import RunbookLanguage
import RunbookTestPeers
import Testing

@Suite("s3.bucket against moto_server")
struct S3BucketActionTests {
    let environment = awsEnvironment()

    @Test func policyPublicAccessBlockAndNewestObjects() async throws {
        try await MotoPeer.with { moto in
            try moto.python(
                """
                s3.create_bucket(Bucket="photos")
                for key in ["uploads/2026/a.jpg", "uploads/2026/b.jpg", "thumbs/a.jpg", "uploads/2026/c.jpg"]:
                    s3.put_object(Bucket="photos", Key=key, Body=b"x" * len(key))
                    time.sleep(1.05)  # S3 (and moto) report LastModified to the second
                s3.put_bucket_policy(Bucket="photos", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
                    {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::photos/*",
                     "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))
                s3.put_public_access_block(Bucket="photos", PublicAccessBlockConfiguration={
                    "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
                    "RestrictPublicBuckets": True})
                s3.create_bucket(Bucket="open.bucket")
                """)
            let action = S3BucketAction(aws: environment)
            let photos = try await action.execute(
                awsContext(["bucket": "photos", "prefix": "uploads/", "newest": 2], endpoint: moto.endpoint))
            #expect(photos["exists"] == true)
            #expect(photos["count"] == 3)
            #expect(photos["truncated"] == false)
            let newest = entries(photos["objects"]).map { $0["key"] }
            #expect(newest == ["uploads/2026/c.jpg", "uploads/2026/b.jpg"])
            #expect(entries(photos["objects"]).first?["size"] == 18)
            #expect(photos["latest_modified"] == entries(photos["objects"]).first?["last_modified"])
            #expect((photos["latest_age_seconds"]?.numericValue ?? -1) >= 0)
            #expect((photos["latest_age_seconds"]?.numericValue ?? 100) < 60)
            guard case .object(let policy)? = photos["policy"], case .array(let statements)? = policy["Statement"] else {
                Issue.record("no policy in \(photos)")
                return
            }
            #expect(statements.count == 1)
            #expect(photos["public_access_blocked"] == true)
            #expect(
                photos["public_access_block"]
                    == [
                        "BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true,
                        "RestrictPublicBuckets": true,
                    ])

            let paged = try await S3BucketAction(aws: environment, pageSize: 1)
                .execute(awsContext(["bucket": "photos", "max_objects": 2], endpoint: moto.endpoint))
            #expect(paged["count"] == 2)
            #expect(paged["truncated"] == true)
            let allPaged = try await S3BucketAction(aws: environment, pageSize: 1)
                .execute(awsContext(["bucket": "photos"], endpoint: moto.endpoint))
            #expect(allPaged["count"] == 4)
            #expect(allPaged["truncated"] == false)

            let open = try await action.execute(awsContext(["bucket": "open.bucket"], endpoint: moto.endpoint))
            #expect(open["exists"] == true)
            #expect(open["count"] == 0)
            #expect(open["policy"] == .null)
            #expect(open["public_access_block"] == .null)
            #expect(open["public_access_blocked"] == false)
            #expect(open["latest_modified"] == .null)

            let missing = try await action.execute(awsContext(["bucket": "nope"], endpoint: moto.endpoint))
            #expect(missing["exists"] == false)
            #expect(missing["count"] == 0)
        }
    }

    @Test func bucketsAreAddressedAsS3WantsThem() throws {
        func url(_ bucket: String, endpoint: String?, region: String = "eu-west-1") throws -> String {
            let session = try AWSSession(
                target: ActionTarget(environmentName: "prod", aws: AWSSettings(region: region, endpointURL: endpoint)),
                environment: awsEnvironment())
            return S3Client(bucket: bucket, session: session).bucketURL
        }
        #expect(try url("photos", endpoint: nil) == "https://photos.s3.eu-west-1.amazonaws.com")
        #expect(try url("photos.example.com", endpoint: nil) == "https://s3.eu-west-1.amazonaws.com/photos.example.com")
        #expect(try url("photos", endpoint: "http://127.0.0.1:5000/") == "http://127.0.0.1:5000/photos")
    }

    @Test func requestsAreSignedRESTCalls() async throws {
        try await TestHTTPServer.with { server in
            let result = await outcome(
                of: S3BucketAction(aws: environment),
                awsContext(["bucket": "photos", "prefix": "up loads/"], endpoint: server.url("/status/200")))
            let request = try #require(server.requests().first)
            #expect(request.method == "GET")
            #expect(request.path.hasSuffix("/photos/?list-type=2&prefix=up%20loads%2F"))
            #expect(request.headers["x-amz-content-sha256"]?.count == 64)
            #expect(request.headers["authorization"]?.contains("/us-east-1/s3/aws4_request") == true)
            #expect(
                contains(result.failure?.message, all: "S3 ListObjectsV2 at ", "(bucket photos)"))
        }
    }
}
