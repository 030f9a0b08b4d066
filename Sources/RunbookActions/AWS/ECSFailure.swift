/// A per-resource failure of an ECS `Describe*` call: `{"arn": …, "reason": "MISSING"}`.
struct ECSFailure: Decodable, Sendable {
    /// The resource's ARN.
    var arn: String?
    /// `MISSING`, …
    var reason: String?
    /// More detail, when given.
    var detail: String?
}
