import Foundation
@testable import RunbookActions
import RunbookLanguage
import RunbookTestPeers
import Testing

/// moto checking every request's SigV4 signature and IAM permissions, after three unchecked requests that create an
/// IAM user with an access key.
@Suite("AWS signatures checked by moto_server")
struct AWSSignatureTests {
    /// Creates the user `ops` (allowed everything) and its access key with the unchecked requests, then, signed with
    /// that key, a role `oncall` and a session of it (`sts assume-role`), and the cluster `prod` with service `api`.
    private func seed(_ moto: MotoPeer) throws -> (user: MotoPeer.Credentials, session: MotoPeer.Credentials) {
        let allowAll = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#
        let keyJSON = try moto.python(
            """
            iam.create_user(UserName="ops")
            iam.put_user_policy(UserName="ops", PolicyName="all", PolicyDocument='\(allowAll)')
            key = iam.create_access_key(UserName="ops")["AccessKey"]
            print(json.dumps([key["AccessKeyId"], key["SecretAccessKey"]]))
            """)
        let key = try #require(try JSONSerialization.jsonObject(with: Data(keyJSON.utf8)) as? [String])
        let user = MotoPeer.Credentials(accessKeyID: key[0], secretAccessKey: key[1])
        let trust = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "#
            + #""Action": "sts:AssumeRole"}]}"#
        let sessionJSON = try moto.python(
            """
            iam.create_role(RoleName="oncall", AssumeRolePolicyDocument='\(trust)')
            iam.put_role_policy(RoleName="oncall", PolicyName="all", PolicyDocument='\(allowAll)')
            role = "arn:aws:iam::123456789012:role/oncall"
            c = sts.assume_role(RoleArn=role, RoleSessionName="incident")["Credentials"]
            print(json.dumps([c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"]]))
            logs.create_log_group(logGroupName="/aws/ecs/api")
            logs.create_log_stream(logGroupName="/aws/ecs/api", logStreamName="app/1")
            logs.put_log_events(logGroupName="/aws/ecs/api", logStreamName="app/1",
                logEvents=[{"timestamp": int(time.time() * 1000), "message": "signed hello"}])
            """, credentials: user)
        let parts = try #require(try JSONSerialization.jsonObject(with: Data(sessionJSON.utf8)) as? [String])
        let session = MotoPeer.Credentials(accessKeyID: parts[0], secretAccessKey: parts[1], sessionToken: parts[2])
        try moto.seedService(credentials: user)
        return (user, session)
    }

    @Test func accessKeysSessionTokensAndProfilesSign() async throws {
        try await MotoPeer.with(unauthenticatedRequests: 3) { moto in
            let (user, session) = try seed(moto)
            let parameters: [String: Value] = ["cluster": "prod", "service": "api"]
            let context = awsContext(parameters, endpoint: moto.endpoint)

            let asUser = try await ECSServiceAction(aws: awsEnvironment(user)).execute(context)
            #expect(asUser["desired"] == 2)
            let asSession = try await ECSServiceAction(aws: awsEnvironment(session)).execute(context)
            #expect(asSession["desired"] == 2)
            let scaled = try await ECSScaleAction(aws: awsEnvironment(session))
                .execute(awsContext(["cluster": "prod", "service": "api", "desired_count": 3], endpoint: moto.endpoint))
            #expect(scaled == ["previous": 2, "desired": 3])
            #expect(
                try moto.describeService(cluster: "prod", service: "api", credentials: user)["desiredCount"] as? Int
                    == 3)
            let logs = try await LogsTailAction(aws: awsEnvironment(session))
                .execute(awsContext(["group": "/aws/ecs/api"], endpoint: moto.endpoint))
            #expect(logs["text"]?.stringValue.hasSuffix(" app/1 signed hello") == true)

            // The same session's key without its token is unknown.
            var tokenless = session
            tokenless.sessionToken = nil
            let unknown = await outcome(of: ECSServiceAction(aws: awsEnvironment(tokenless)), context)
            #expect(
                contains(
                    unknown.failure?.message,
                    all: "environment 'test': ECS DescribeServices at \(moto.endpoint) was refused with HTTP 403 "
                        + "(InvalidClientTokenId",
                    "the access key \(session.accessKeyID) from the environment (AWS_ACCESS_KEY_ID) is not known "
                        + "there"))
        }
    }

    @Test func wrongSecretIsAClear403() async throws {
        try await MotoPeer.with(unauthenticatedRequests: 3) { moto in
            let (user, _) = try seed(moto)
            var wrong = user
            wrong.secretAccessKey = "not-the-secret-\(UUID().uuidString)"
            let result = await outcome(
                of: ECSServiceAction(aws: awsEnvironment(wrong)),
                awsContext(["cluster": "prod", "service": "api"], endpoint: moto.endpoint))
            let message = try #require(result.failure?.message)
            #expect(
                message.hasPrefix(
                    "environment 'test': ECS DescribeServices at \(moto.endpoint) was refused with HTTP 403 "
                        + "(SignatureDoesNotMatch: The request signature we calculated does not match"))
            #expect(
                message.hasSuffix(
                    "check the secret access key that goes with the access key \(user.accessKeyID) from the "
                        + "environment (AWS_ACCESS_KEY_ID), and the system clock"))
            #expect(!message.contains(wrong.secretAccessKey))
            #expect(!message.contains(user.secretAccessKey))
        }
    }

    @Test func sharedCredentialsAndConfigFilesWithAProfile() async throws {
        try await MotoPeer.with(unauthenticatedRequests: 3) { moto in
            let (user, session) = try seed(moto)
            let credentialsPath = moto.directory.appendingPathComponent("credentials").path
            let configPath = moto.directory.appendingPathComponent("config").path
            try """
                [default]
                aws_access_key_id = AKIADEFAULTUNKNOWN
                aws_secret_access_key = nothing

                [oncall]
                aws_access_key_id = \(session.accessKeyID)
                aws_secret_access_key = \(session.secretAccessKey)
                aws_session_token = \(session.sessionToken ?? "")

                [broken]
                aws_access_key_id = \(user.accessKeyID)
                aws_secret_access_key = wrong
                """.write(toFile: credentialsPath, atomically: true, encoding: .utf8)
            try """
                [profile oncall]
                region = \(MotoPeer.region)
                endpoint_url = \(moto.endpoint)
                [profile broken]
                region = \(MotoPeer.region)
                """.write(toFile: configPath, atomically: true, encoding: .utf8)
            let files = ["AWS_SHARED_CREDENTIALS_FILE": credentialsPath, "AWS_CONFIG_FILE": configPath]
            let parameters: [String: Value] = ["cluster": "prod", "service": "api"]

            // AWS_PROFILE picks the profile; its region and endpoint come from the config file.
            let byVariable = awsEnvironment(nil, extra: files.merging(["AWS_PROFILE": "oncall"]) { $1 })
            let fromProfile = try await ECSServiceAction(aws: byVariable)
                .execute(awsContext(parameters, endpoint: nil, region: nil))
            #expect(fromProfile["desired"] == 2)

            // The environment's aws.profile wins over keys in the process environment.
            let byEnvironment = awsEnvironment(
                MotoPeer.Credentials(accessKeyID: "AKIAIGNORED", secretAccessKey: "ignored"), extra: files)
            let configured = try await ECSServiceAction(aws: byEnvironment)
                .execute(awsContext(parameters, endpoint: moto.endpoint, profile: "oncall"))
            #expect(configured["desired"] == 2)

            let broken = await outcome(
                of: ECSServiceAction(aws: byEnvironment),
                awsContext(parameters, endpoint: moto.endpoint, profile: "broken"))
            #expect(
                contains(
                    broken.failure?.message, all: "HTTP 403 (SignatureDoesNotMatch",
                    "the access key \(user.accessKeyID) from profile 'broken' of \(credentialsPath)"))
        }
    }
}
