import Foundation

/// The ECS calls of one step's service (`cluster` and `service` parameters), with AWS errors turned into lines that
/// name the service, the cluster and the environment.
struct ECSClient: Sendable {
    /// The cluster, as the step names it.
    var cluster: String
    /// The service, as the step names it.
    var service: String
    private let client: AWSClient

    /// Reads the step's `cluster` and `service` and resolves the environment's AWS session.
    /// - Throws: `ActionFailure` for a missing parameter, or no usable credentials or region.
    init(_ context: ActionContext, action: String, environment: AWSEnvironment) throws(ActionFailure) {
        cluster = try context.requiredString("cluster", action: action)
        service = try context.requiredString("service", action: action)
        client = AWSClient(session: try AWSSession(target: context.target, environment: environment), service: .ecs)
    }

    /// `api in cluster prod`.
    var label: String { "\(service) in cluster \(cluster)" }

    /// The service, as `DescribeServices` returns it.
    /// - Throws: `ActionFailure` when it cannot be read, or the cluster or service does not exist.
    func describeService() async throws(ActionFailure) -> ECSService {
        struct Request: Encodable {
            var cluster: String
            var services: [String]
        }
        struct Response: Decodable {
            var services: [ECSService]?
            var failures: [ECSFailure]?
        }
        let response: Response = try await call("DescribeServices", Request(cluster: cluster, services: [service]))
        guard let found = response.services?.first, found.status != "INACTIVE" else {
            let reason = response.failures?.first?.reason ?? "INACTIVE"
            let what = reason == "MISSING" || reason == "INACTIVE" ? "not found" : "not readable (\(reason))"
            throw ActionFailure("service \(service) \(what) in cluster \(cluster) (\(whereabouts))")
        }
        return found
    }

    /// Changes the service with `UpdateService` and returns it as it is now.
    /// - Parameters:
    ///   - desiredCount: a new desired count.
    ///   - taskDefinition: a new task definition (ARN or `family:revision`).
    ///   - forceNewDeployment: whether to replace every task.
    func updateService(
        desiredCount: Int? = nil, taskDefinition: String? = nil, forceNewDeployment: Bool? = nil
    ) async throws(ActionFailure) -> ECSService {
        struct Request: Encodable {
            var cluster: String
            var service: String
            var desiredCount: Int?
            var taskDefinition: String?
            var forceNewDeployment: Bool?
        }
        struct Response: Decodable {
            var service: ECSService
        }
        let request = Request(
            cluster: cluster, service: service, desiredCount: desiredCount, taskDefinition: taskDefinition,
            forceNewDeployment: forceNewDeployment)
        let response: Response = try await call("UpdateService", request)
        return response.service
    }

    /// The service's stopped tasks that ECS still reports (about an hour's worth), newest first.
    func stoppedTasks() async throws(ActionFailure) -> [ECSTask] {
        struct ListRequest: Encodable {
            var cluster: String
            var serviceName: String
            var desiredStatus = "STOPPED"
            var maxResults = 100
        }
        struct ListResponse: Decodable {
            var taskArns: [String]?
        }
        struct DescribeRequest: Encodable {
            var cluster: String
            var tasks: [String]
        }
        struct DescribeResponse: Decodable {
            var tasks: [ECSTask]?
        }
        let serviceName = String(service.split(separator: "/").last ?? Substring(service))
        let listed: ListResponse = try await call("ListTasks", ListRequest(cluster: cluster, serviceName: serviceName))
        guard let arns = listed.taskArns, !arns.isEmpty else { return [] }
        let described: DescribeResponse = try await call(
            "DescribeTasks", DescribeRequest(cluster: cluster, tasks: arns))
        // A service's tasks are in the group `service:NAME`; the check keeps others out where ListTasks ignores
        // serviceName (some emulators do).
        return (described.tasks ?? [])
            .filter { $0.group == nil || $0.group == "service:\(serviceName)" }
            .sorted { ($0.stoppedAt ?? .distantPast) > ($1.stoppedAt ?? .distantPast) }
    }

    /// The newest ACTIVE revision of `family` older than `revision`, or nil when there is none.
    func previousRevision(of current: TaskDefinitionName) async throws(ActionFailure) -> TaskDefinitionName? {
        struct Request: Encodable {
            var familyPrefix: String
            var status = "ACTIVE"
            var sort = "DESC"
            var nextToken: String?
        }
        struct Response: Decodable {
            var taskDefinitionArns: [String]?
            var nextToken: String?
        }
        var request = Request(familyPrefix: current.family)
        var older: [TaskDefinitionName] = []
        repeat {
            let page: Response = try await call("ListTaskDefinitions", request)
            // familyPrefix also matches longer families (`api` finds `api-worker`).
            older += (page.taskDefinitionArns ?? []).compactMap(TaskDefinitionName.init)
                .filter { $0.family == current.family && $0.revision < current.revision }
            // Sorted newest first, the first page with an older revision holds the newest of them.
            request.nextToken = older.isEmpty ? page.nextToken : nil
        } while request.nextToken != nil
        return older.max { $0.revision < $1.revision }
    }

    /// The task definition `name` (ARN or `family:revision`) as `family:revision`.
    /// - Throws: `ActionFailure` when there is no such task definition.
    func taskDefinition(_ name: String) async throws(ActionFailure) -> TaskDefinitionName {
        struct Request: Encodable {
            var taskDefinition: String
        }
        struct Response: Decodable {
            struct Definition: Decodable {
                var taskDefinitionArn: String?
                var status: String?
            }
            var taskDefinition: Definition?
        }
        let response: Response
        do {
            response = try await call("DescribeTaskDefinition", Request(taskDefinition: name))
        } catch where error.code != .cancelled {
            throw ActionFailure("\(error.message) (the task definition '\(name)')")
        }
        guard let arn = response.taskDefinition?.taskDefinitionArn, let found = TaskDefinitionName(arn) else {
            throw ActionFailure("task definition '\(name)' not found (\(whereabouts))")
        }
        if let status = response.taskDefinition?.status, status != "ACTIVE" {
            throw ActionFailure("task definition \(found) is \(status), not ACTIVE (\(whereabouts))")
        }
        return found
    }

    /// `environment 'prod', region us-east-1`, for not-found messages.
    private var whereabouts: String {
        "\(client.session.environmentLabel), region \(client.session.region)"
    }

    /// Calls `operation`, turning not-found errors into lines that name the service and cluster.
    private func call<Response: Decodable>(
        _ operation: String, _ request: some Encodable
    ) async throws(ActionFailure) -> Response {
        do {
            return try await client.call(operation, request)
        } catch {
            switch error.type {
            case "ServiceNotFoundException":
                throw ActionFailure(
                    "ServiceNotFoundException: service \(service) not found in cluster \(cluster) (\(whereabouts))")
            case "ClusterNotFoundException":
                throw ActionFailure("ClusterNotFoundException: cluster \(cluster) not found (\(whereabouts))")
            case "ServiceNotActiveException":
                throw ActionFailure(
                    "ServiceNotActiveException: service \(service) in cluster \(cluster) is not active "
                        + "(\(whereabouts))")
            default:
                throw error.isCancelled ? ActionFailure.cancelled() : ActionFailure(error.message)
            }
        }
    }
}
