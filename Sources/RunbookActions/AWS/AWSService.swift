/// An AWS service the actions call, with the protocol it speaks.
enum AWSService: Sendable, Hashable, CaseIterable {
    /// Amazon Elastic Container Service.
    case ecs
    /// Amazon CloudWatch Logs.
    case logs
    /// Amazon CloudWatch (metrics).
    case cloudWatch
    /// Amazon Relational Database Service.
    case rds
    /// Amazon Simple Storage Service.
    case s3

    /// How a service's requests and responses are written.
    enum WireProtocol: Sendable, Hashable {
        /// `POST /` with `X-Amz-Target: PREFIX.Operation` and a JSON body of `application/x-amz-json-VERSION`.
        case json(version: String, targetPrefix: String)
        /// `POST /` with a form body `Action=…&Version=API_VERSION&…`, answered in XML.
        case query(apiVersion: String)
        /// REST calls on resource paths, answered in XML.
        case restXML
    }

    /// The name the service signs requests with (SigV4's service), also its endpoint's host prefix.
    var signingName: String {
        switch self {
        case .ecs: "ecs"
        case .logs: "logs"
        case .cloudWatch: "monitoring"
        case .rds: "rds"
        case .s3: "s3"
        }
    }

    /// The protocol the actions call the service with.
    var wireProtocol: WireProtocol {
        switch self {
        case .ecs: .json(version: "1.1", targetPrefix: "AmazonEC2ContainerServiceV20141113")
        case .logs: .json(version: "1.1", targetPrefix: "Logs_20140328")
        case .cloudWatch: .json(version: "1.0", targetPrefix: "GraniteServiceVersion20100801")
        case .rds: .query(apiVersion: "2014-10-31")
        case .s3: .restXML
        }
    }

    /// How messages name the service.
    var displayName: String {
        switch self {
        case .ecs: "ECS"
        case .logs: "CloudWatch Logs"
        case .cloudWatch: "CloudWatch"
        case .rds: "RDS"
        case .s3: "S3"
        }
    }

    /// The prefix of IAM actions: `ecs:DescribeServices`, `cloudwatch:GetMetricData`.
    var iamPrefix: String { self == .cloudWatch ? "cloudwatch" : signingName }

    /// The variable that overrides this service's endpoint alone, as the AWS SDKs name it.
    var endpointVariable: String {
        switch self {
        case .ecs: "AWS_ENDPOINT_URL_ECS"
        case .logs: "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"
        case .cloudWatch: "AWS_ENDPOINT_URL_CLOUDWATCH"
        case .rds: "AWS_ENDPOINT_URL_RDS"
        case .s3: "AWS_ENDPOINT_URL_S3"
        }
    }

    /// The public endpoint in `region`: `https://ecs.us-east-1.amazonaws.com`.
    func defaultEndpoint(region: String) -> String {
        let domain = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return "https://\(signingName).\(region).\(domain)"
    }
}
