import Foundation
import RunbookTestPeers
import Testing

/// The bundled `upload-failures` runbook, run by the built `runbook` against moto_server's S3.
@Suite("upload-failures against moto_server")
struct UploadFailuresRunbookTests {
    @Test("a bucket whose policy denies plain HTTP: the Deny is named, a recent upload marks recovery")
    func denyingPolicyAndRecentUpload() async throws {
        try await MotoPeer.with { moto in
            try moto.python(
                """
                s3.create_bucket(Bucket="propflow-photos")
                s3.put_object(Bucket="propflow-photos", Key="uploads/2026/12/house.jpg", Body=b"jpeg")
                s3.put_bucket_policy(Bucket="propflow-photos", Policy=json.dumps({"Version": "2012-10-17",
                    "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
                                   "Resource": "arn:aws:s3:::propflow-photos/*",
                                   "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))
                """)
            let workspace = try TemporaryWorkspace(config: """
                store: sqlite:.runbook/state.db
                environments:
                  moto:
                    aws: { region: \(MotoPeer.region), endpoint_url: "\(moto.endpoint)" }
                """)
            let bundled = RunbookBinary.packageRoot.appendingPathComponent("runbooks/upload-failures.yaml")
            try workspace.write("runbooks/upload-failures.yaml", try String(contentsOf: bundled, encoding: .utf8))
            var environment = MotoPeer.testingCredentials.environment
            environment["AWS_CONFIG_FILE"] = moto.directory.appendingPathComponent("no-config").path
            environment["AWS_SHARED_CREDENTIALS_FILE"] = moto.directory.appendingPathComponent("no-credentials").path
            environment["AWS_PROFILE"] = ""

            let result = try workspace.run(["exec", "upload-failures", "--env", "moto", "--yes"], environment: environment)
            #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")

            let events = try workspace.events()
            func finished(_ step: String) -> [String: Any]? {
                let event = events.last { $0["type"] as? String == "step.finished" && $0["step"] as? String == step }
                return event?["data"] as? [String: Any]
            }
            let bucket = finished("bucket")?["outputs"] as? [String: Any]
            #expect(bucket?["exists"] as? Bool == true)
            #expect(bucket?["count"] as? Double == 1)
            #expect(finished("missing")?["outcome"] as? String == "skipped")
            #expect(finished("denied")?["outcome"] as? String == "success")
            #expect(finished("stalled")?["outcome"] as? String == "skipped")
            #expect(finished("recheck")?["outcome"] as? String == "success")
            #expect(events.contains { $0["type"] as? String == "incident.recovered" })
        }
    }
}
