import Foundation
import RunbookLanguage

/// Where an environment's AWS calls go and whose credentials sign them, resolved the way the AWS CLI resolves them.
///
/// - Credentials: the environment's `aws.profile` when the configuration names one; otherwise `AWS_ACCESS_KEY_ID`,
///   `AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN`); otherwise the profile `$AWS_PROFILE` (or `default`) of
///   `~/.aws/credentials` (`$AWS_SHARED_CREDENTIALS_FILE`) and `~/.aws/config` (`$AWS_CONFIG_FILE`).
/// - Region: `aws.region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's `region`.
/// - Endpoint: `aws.endpoint_url`, the service's own `AWS_ENDPOINT_URL_<SERVICE>` (`…_ECS`, `…_CLOUDWATCH_LOGS`,
///   `…_CLOUDWATCH`, `…_RDS`, `…_S3`), `AWS_ENDPOINT_URL`, the profile's `endpoint_url`, else the service's public
///   endpoint in the region.
struct AWSSession: Sendable {
    /// The environment's name for messages: `environment 'prod'`.
    var environmentLabel: String
    /// The region requests are signed for.
    var region: String
    /// The credentials that sign requests.
    var credentials: AWSCredentials
    /// An endpoint that replaces every service's public one, with where it came from.
    var endpointOverride: (url: String, source: String)?
    /// Per-service endpoint overrides from `AWS_ENDPOINT_URL_<SERVICE>`.
    var serviceEndpoints: [AWSService: String]

    /// Resolves the session of `target`'s environment from its settings, `environment` and the shared AWS files.
    /// - Throws: `ActionFailure` when there are no usable credentials or no region, naming what to set.
    init(target: ActionTarget, environment: AWSEnvironment) throws(ActionFailure) {
        let settings = target.aws ?? AWSSettings()
        let label = target.environmentLabel
        let profileName = settings.profile ?? environment["AWS_PROFILE"] ?? "default"
        let profile = Self.profile(named: profileName, environment)
        if let named = settings.profile ?? environment["AWS_PROFILE"], !profile.exists {
            throw ActionFailure(
                "\(label): the AWS profile '\(named)' is in neither \(profile.credentialsPath) nor "
                    + "\(profile.configPath); check aws.profile in runbook.config.yaml or AWS_PROFILE")
        }
        environmentLabel = label
        credentials = try Self.credentials(
            profile: profile, profileIsExplicit: settings.profile != nil, environment, label: label)
        guard
            let region = settings.region ?? environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"]
                ?? profile.value("region")
        else {
            throw ActionFailure(
                "\(label): no AWS region; set aws.region for the environment in runbook.config.yaml, AWS_REGION, "
                    + "or region in profile '\(profile.name)' of \(profile.configPath)")
        }
        self.region = region
        if let url = settings.endpointURL {
            endpointOverride = (url, "aws.endpoint_url of \(label)")
        } else if let url = environment["AWS_ENDPOINT_URL"] {
            endpointOverride = (url, "AWS_ENDPOINT_URL")
        } else if let url = profile.value("endpoint_url") {
            endpointOverride = (url, "endpoint_url of profile '\(profile.name)'")
        }
        serviceEndpoints = [:]
        if settings.endpointURL == nil {
            for service in AWSService.allCases {
                serviceEndpoints[service] = environment[service.endpointVariable]
            }
        }
    }

    /// The base URL of `service`'s API, without a trailing slash.
    func endpoint(_ service: AWSService) -> String {
        let url = serviceEndpoints[service] ?? endpointOverride?.url ?? service.defaultEndpoint(region: region)
        return url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    /// Where `service`'s endpoint came from, for messages that say what to check.
    func endpointSource(_ service: AWSService) -> String {
        if serviceEndpoints[service] != nil { return service.endpointVariable }
        if let override = endpointOverride { return override.source }
        return "the public endpoint of region \(region); check the region and the network path to AWS"
    }

    private static func profile(named name: String, _ environment: AWSEnvironment) -> AWSProfile {
        let credentialsPath = environment["AWS_SHARED_CREDENTIALS_FILE"] ?? environment.home + "/.aws/credentials"
        let configPath = environment["AWS_CONFIG_FILE"] ?? environment.home + "/.aws/config"
        let credentialsFile = (try? String(contentsOfFile: credentialsPath, encoding: .utf8)).map(INIFile.init)
        let configFile = (try? String(contentsOfFile: configPath, encoding: .utf8)).map(INIFile.init)
        return AWSProfile(
            name: name, credentialsPath: credentialsPath, configPath: configPath,
            credentialsSection: credentialsFile?[section: name],
            configSection: configFile?[section: name == "default" ? "default" : "profile \(name)"])
    }

    private static func credentials(
        profile: AWSProfile, profileIsExplicit: Bool, _ environment: AWSEnvironment, label: String
    ) throws(ActionFailure) -> AWSCredentials {
        if !profileIsExplicit, let key = environment["AWS_ACCESS_KEY_ID"] {
            guard let secret = environment["AWS_SECRET_ACCESS_KEY"] else {
                throw ActionFailure(
                    "\(label): AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not; set both, or neither to "
                        + "use a profile")
            }
            let token = environment["AWS_SESSION_TOKEN"]
            let source = "the environment (AWS_ACCESS_KEY_ID\(token == nil ? "" : ", AWS_SESSION_TOKEN"))"
            return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token, source: source)
        }
        if let credentials = profile.credentials { return credentials }
        if let unsupported = profile.unsupportedSource {
            throw ActionFailure(
                "\(label): the AWS profile '\(profile.name)' gets its credentials through \(unsupported), which "
                    + "runbook does not run; export temporary credentials (for example with "
                    + "`aws configure export-credentials --profile \(profile.name) --format env`) or name a profile "
                    + "with aws_access_key_id and aws_secret_access_key")
        }
        throw ActionFailure(
            "\(label): no AWS credentials; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or aws_access_key_id and "
                + "aws_secret_access_key in profile '\(profile.name)' of \(profile.credentialsPath)")
    }
}
