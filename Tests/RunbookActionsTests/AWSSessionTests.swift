import Foundation
@testable import RunbookActions
import RunbookLanguage
import RunbookTestPeers
import Testing

@Suite("AWS credentials, region and endpoint")
struct AWSSessionTests {
    /// Writes the shared files into a fresh folder and returns the variables that point at them.
    private func sharedFiles(credentials: String, config: String, in directory: String) throws -> [String: String] {
        try credentials.write(toFile: directory + "/credentials", atomically: true, encoding: .utf8)
        try config.write(toFile: directory + "/config", atomically: true, encoding: .utf8)
        return ["AWS_SHARED_CREDENTIALS_FILE": directory + "/credentials", "AWS_CONFIG_FILE": directory + "/config"]
    }

    private let credentialsFile = """
        # comment
        [default]
        aws_access_key_id = AKIADEFAULT
        aws_secret_access_key = default-secret

        [oncall]
        aws_access_key_id=AKIAONCALL
        aws_secret_access_key=oncall-secret
        aws_session_token = oncall-token
        """

    private let configFile = """
        [default]
        region = eu-west-1
        [profile oncall]
        region = ap-south-1
        s3 =
            max_concurrent_requests = 10
        [profile assumed]
        role_arn = arn:aws:iam::123456789012:role/oncall
        source_profile = default
        [profile local]
        region = us-east-2
        endpoint_url = http://127.0.0.1:4566
        """

    @Test func iniFilesKeepSectionsAndKeys() {
        let file = INIFile(text: configFile + "\n; another comment\n[profile oncall]\nOUTPUT = json\n")
        #expect(file[section: "profile oncall"] == ["region": "ap-south-1", "s3": "", "output": "json"])
        #expect(file[section: "profile assumed"]?["source_profile"] == "default")
        #expect(file[section: "missing"] == nil)
    }

    @Test func environmentKeysWinOverTheDefaultProfile() async throws {
        try await withTemporaryDirectory { directory in
            var variables = try sharedFiles(credentials: credentialsFile, config: configFile, in: directory)
            variables.merge(MotoPeer.Credentials(accessKeyID: "AKIAENV", secretAccessKey: "env-secret").environment) {
                $1
            }
            let session = try AWSSession(target: ActionTarget(), environment: AWSEnvironment(variables: variables))
            #expect(session.credentials.accessKeyID == "AKIAENV")
            #expect(session.credentials.source == "the environment (AWS_ACCESS_KEY_ID)")
            #expect(session.region == "eu-west-1")
            #expect(session.endpoint(.ecs) == "https://ecs.eu-west-1.amazonaws.com")
            #expect(session.endpoint(.logs) == "https://logs.eu-west-1.amazonaws.com")
        }
    }

    @Test func theEnvironmentsProfileWinsOverEnvironmentKeys() async throws {
        try await withTemporaryDirectory { directory in
            var variables = try sharedFiles(credentials: credentialsFile, config: configFile, in: directory)
            variables["AWS_ACCESS_KEY_ID"] = "AKIAENV"
            variables["AWS_SECRET_ACCESS_KEY"] = "env-secret"
            variables["AWS_DEFAULT_REGION"] = "us-west-2"
            let target = ActionTarget(environmentName: "prod", aws: AWSSettings(profile: "oncall"))
            let session = try AWSSession(target: target, environment: AWSEnvironment(variables: variables))
            #expect(session.credentials.accessKeyID == "AKIAONCALL")
            #expect(session.credentials.sessionToken == "oncall-token")
            #expect(session.credentials.source == "profile 'oncall' of \(directory)/credentials")
            #expect(session.region == "us-west-2")
            #expect(!session.credentials.description.contains("secret"))
            #expect(!session.credentials.description.contains("oncall-token"))
        }
    }

    @Test func awsProfileSelectsTheProfileAndItsRegionAndEndpoint() async throws {
        try await withTemporaryDirectory { directory in
            var variables = try sharedFiles(
                credentials: credentialsFile + "\n[local]\naws_access_key_id = AKIALOCAL\naws_secret_access_key = x\n",
                config: configFile, in: directory)
            variables["AWS_PROFILE"] = "local"
            let session = try AWSSession(target: ActionTarget(), environment: AWSEnvironment(variables: variables))
            #expect(session.credentials.accessKeyID == "AKIALOCAL")
            #expect(session.region == "us-east-2")
            #expect(session.endpoint(.ecs) == "http://127.0.0.1:4566")
            #expect(session.endpointSource(.ecs) == "endpoint_url of profile 'local'")

            variables["AWS_REGION"] = "eu-central-1"
            variables["AWS_ENDPOINT_URL"] = "http://localhost:5000/"
            variables["AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"] = "http://localhost:5001"
            let overridden = try AWSSession(
                target: ActionTarget(), environment: AWSEnvironment(variables: variables))
            #expect(overridden.region == "eu-central-1")
            #expect(overridden.endpoint(.ecs) == "http://localhost:5000")
            #expect(overridden.endpoint(.logs) == "http://localhost:5001")

            let configured = try AWSSession(
                target: ActionTarget(
                    environmentName: "dev", aws: AWSSettings(region: "us-east-1", endpointURL: "http://127.0.0.1:9")),
                environment: AWSEnvironment(variables: variables))
            #expect(configured.region == "us-east-1")
            #expect(configured.endpoint(.logs) == "http://127.0.0.1:9")
            #expect(configured.endpointSource(.logs) == "aws.endpoint_url of environment 'dev'")
        }
    }

    @Test func missingPiecesAreNamed() async throws {
        try await withTemporaryDirectory { directory in
            let files = try sharedFiles(credentials: credentialsFile, config: configFile, in: directory)
            func failure(_ target: ActionTarget, _ variables: [String: String]) -> String? {
                do {
                    _ = try AWSSession(target: target, environment: AWSEnvironment(variables: variables))
                    return nil
                } catch {
                    return error.message
                }
            }
            let prod = ActionTarget(environmentName: "prod", aws: AWSSettings(region: "us-east-1", profile: "nope"))
            #expect(
                failure(prod, files)
                    == "environment 'prod': the AWS profile 'nope' is in neither \(directory)/credentials nor "
                    + "\(directory)/config; check aws.profile in runbook.config.yaml or AWS_PROFILE")
            let assumed = ActionTarget(environmentName: "prod", aws: AWSSettings(profile: "assumed"))
            #expect(
                failure(assumed, files)?.hasPrefix(
                    "environment 'prod': the AWS profile 'assumed' gets its credentials through role_arn (an assumed "
                        + "role), which runbook does not run") == true)
            let empty = ["HOME": directory + "/nowhere", "AWS_REGION": "us-east-1"]
            #expect(
                failure(ActionTarget(), empty)
                    == "the default environment: no AWS credentials; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                    + "or aws_access_key_id and aws_secret_access_key in profile 'default' of "
                    + "\(directory)/nowhere/.aws/credentials")
            #expect(
                failure(ActionTarget(), empty.merging(["AWS_ACCESS_KEY_ID": "AKIA"]) { $1 })
                    == "the default environment: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not; set both, "
                    + "or neither to use a profile")
            let noRegion = ["HOME": directory + "/nowhere", "AWS_ACCESS_KEY_ID": "AKIA", "AWS_SECRET_ACCESS_KEY": "s"]
            #expect(
                failure(ActionTarget(), noRegion)
                    == "the default environment: no AWS region; set aws.region for the environment in "
                    + "runbook.config.yaml, AWS_REGION, or region in profile 'default' of "
                    + "\(directory)/nowhere/.aws/config")
        }
    }
}
