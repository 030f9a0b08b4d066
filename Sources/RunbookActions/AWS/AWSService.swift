/// An AWS service the actions call with the JSON 1.1 protocol.
enum AWSService: Sendable, Hashable {
    /// Amazon Elastic Container Service.
    case ecs
    /// Amazon CloudWatch Logs.
    case logs

    /// The name the service signs requests with (SigV4's service), also its endpoint's host prefix.
    var signingName: String {
        switch self {
        case .ecs: "ecs"
        case .logs: "logs"
        }
    }

    /// The prefix of `X-Amz-Target`: `AmazonEC2ContainerServiceV20141113.DescribeServices`.
    var targetPrefix: String {
        switch self {
        case .ecs: "AmazonEC2ContainerServiceV20141113"
        case .logs: "Logs_20140328"
        }
    }

    /// How messages name the service.
    var displayName: String {
        switch self {
        case .ecs: "ECS"
        case .logs: "CloudWatch Logs"
        }
    }

    /// The prefix of IAM actions: `ecs:DescribeServices`.
    var iamPrefix: String { signingName }

    /// The variable that overrides this service's endpoint alone, as the AWS SDKs name it.
    var endpointVariable: String {
        switch self {
        case .ecs: "AWS_ENDPOINT_URL_ECS"
        case .logs: "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"
        }
    }

    /// The public endpoint in `region`: `https://ecs.us-east-1.amazonaws.com`.
    func defaultEndpoint(region: String) -> String {
        let domain = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return "https://\(signingName).\(region).\(domain)"
    }
}
