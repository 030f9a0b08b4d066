import Foundation
import RunbookLanguage

/// `rds.instance`: a DB instance as `DescribeDBInstances` reports it, with its free storage from CloudWatch's
/// `FreeStorageSpace` where CloudWatch reports it.
public struct RDSInstanceAction: Action {
    /// Where credentials, region and endpoint come from besides the environment's settings.
    public var aws: AWSEnvironment

    /// Creates the action; it reads this process's environment unless told otherwise.
    public init(aws: AWSEnvironment = .process) {
        self.aws = aws
    }

    /// The catalog's `rds.instance` spec.
    public var spec: ActionSpec { .builtin("rds.instance") }

    /// Reads the instance; outputs its status, class, engine, storage, pending modifications, Multi-AZ and
    /// endpoint (see the catalog for every output).
    /// - Throws: `ActionFailure` when the instance does not exist or cannot be read.
    public func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value] {
        let identifier = try context.requiredString("instance", action: spec.name)
        let session = try AWSSession(target: context.target, environment: aws)
        let client = AWSClient(session: session, service: .rds)
        let result: XMLTree
        do {
            result = try await client.query("DescribeDBInstances", ["DBInstanceIdentifier": identifier])
        } catch where error.type == "DBInstanceNotFound" || error.type == "DBInstanceNotFoundFault" {
            throw ActionFailure(
                "DBInstanceNotFound: DB instance \(identifier) not found (\(session.environmentLabel), region "
                    + "\(session.region))")
        } catch {
            throw error.isCancelled ? ActionFailure.cancelled() : ActionFailure(error.message)
        }
        guard let instance = result["DBInstances"]?.all("DBInstance").first else {
            throw ActionFailure(
                "DB instance \(identifier) not found (\(session.environmentLabel), region \(session.region))")
        }
        var outputs = Self.outputs(instance)
        let storage = instance.string("AllocatedStorage").flatMap(Double.init)
        let free = await freeStorage(instance.string("DBInstanceIdentifier") ?? identifier, session)
        if Task.isCancelled { throw ActionFailure.cancelled() }
        outputs["free_storage_gb"] = free.gigabytes.map(Value.number) ?? .null
        outputs["free_storage_percent"] =
            if let gigabytes = free.gigabytes, let storage, storage > 0 {
                .number((gigabytes / storage * 100).rounded())
            } else {
                .null
            }
        outputs["warnings"] = .array(free.warning.map { [.string($0)] } ?? [])
        return outputs
    }

    /// The outputs `DescribeDBInstances` alone answers.
    static func outputs(_ instance: XMLTree) -> [String: Value] {
        let address = instance.string("Endpoint", "Address") ?? ""
        let port = instance.string("Endpoint", "Port") ?? ""
        let pending = instance["PendingModifiedValues"]?.children ?? []
        return [
            "status": .string(instance.string("DBInstanceStatus") ?? ""),
            "class": .string(instance.string("DBInstanceClass") ?? ""),
            "engine": .string(instance.string("Engine") ?? ""),
            "engine_version": .string(instance.string("EngineVersion") ?? ""),
            "multi_az": .bool(instance.string("MultiAZ") == "true"),
            "availability_zone": .string(instance.string("AvailabilityZone") ?? ""),
            "endpoint": .string(address.isEmpty ? "" : "\(address):\(port)"),
            "address": .string(address),
            "port": port.isEmpty ? .null : .number(Double(port) ?? 0),
            "storage_gb": instance.string("AllocatedStorage").flatMap(Double.init).map(Value.number) ?? .null,
            "storage_type": .string(instance.string("StorageType") ?? ""),
            "max_storage_gb": instance.string("MaxAllocatedStorage").flatMap(Double.init).map(Value.number) ?? .null,
            "pending_modifications": .object(Dictionary(pending.map { ($0.name, value($0)) }) { _, last in last }),
            "pending": .bool(!pending.isEmpty),
            "read_replicas": .array(
                (instance["ReadReplicaDBInstanceIdentifiers"]?.children ?? []).map { .string($0.text) }),
        ]
    }

    /// A pending modification's value: its text, or its fields for one that has some (`ProcessorFeatures`).
    private static func value(_ element: XMLTree) -> Value {
        guard !element.children.isEmpty else { return .string(element.text) }
        return .object(Dictionary(element.children.map { ($0.name, value($0)) }) { _, last in last })
    }

    /// The newest `FreeStorageSpace` of the last 15 minutes in GiB, or why there is none to show.
    private func freeStorage(
        _ identifier: String, _ session: AWSSession
    ) async -> (gigabytes: Double?, warning: String?) {
        let query = MetricQuery(
            namespace: "AWS/RDS", metric: "FreeStorageSpace", dimensions: ["DBInstanceIdentifier": identifier],
            statistic: "Minimum", period: 300, window: 900)
        do {
            let points = try await query.datapoints(AWSClient(session: session, service: .cloudWatch))
            return (points.last.map { ($0.value / 1_073_741_824 * 100).rounded() / 100 }, nil)
        } catch {
            return (nil, "free storage unknown: \(error.message)")
        }
    }
}
