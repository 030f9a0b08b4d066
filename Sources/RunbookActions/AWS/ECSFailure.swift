/// A per-resource failure of an ECS `Describe*` call: `{"arn": …, "reason": "MISSING"}`.
struct ECSFailure: Decodable, Sendable {
    /// `MISSING`, …
    var reason: String?
}
