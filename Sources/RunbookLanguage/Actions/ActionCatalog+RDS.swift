extension ActionCatalog {
    /// The Amazon RDS actions.
    static let rds: [ActionSpec] = [
        ActionSpec(
            name: "rds.instance",
            summary: "Reads a DB instance's status, class, engine, storage, pending changes, Multi-AZ and endpoint.",
            mutating: false, defaultTimeout: .seconds(60),
            parameters: [.required("instance", .string, "The DB instance identifier (or its ARN).")],
            outputs: [
                OutputSpec("status", "DBInstanceStatus: 'available', 'modifying', 'storage-full', …"),
                OutputSpec("class", "The instance class, e.g. 'db.m6g.large'."),
                OutputSpec("engine", "The engine, e.g. 'postgres'."),
                OutputSpec("engine_version", "The engine version."),
                OutputSpec("multi_az", "Whether it has a standby in another Availability Zone."),
                OutputSpec("availability_zone", "Its Availability Zone."),
                OutputSpec("endpoint", "ADDRESS:PORT; empty while it has none."),
                OutputSpec("address", "The endpoint's host name."),
                OutputSpec("port", "The endpoint's port."),
                OutputSpec("storage_gb", "Allocated storage, in GiB."),
                OutputSpec("storage_type", "gp2, gp3, io1, …"),
                OutputSpec("max_storage_gb", "The storage autoscaling limit, in GiB; null without autoscaling."),
                OutputSpec("free_storage_gb", "Free storage from CloudWatch's FreeStorageSpace, in GiB; null when "
                    + "CloudWatch reports none."),
                OutputSpec("free_storage_percent", "free_storage_gb as a percentage of storage_gb; null when "
                    + "unknown."),
                OutputSpec("pending_modifications", "The changes waiting for the maintenance window, by field."),
                OutputSpec("pending", "Whether any change is pending."),
                OutputSpec("read_replicas", "The identifiers of its read replicas."),
                OutputSpec("warnings", "What could not be read (free storage without cloudwatch:GetMetricData)."),
            ]),
    ]
}
