/// A task definition's `family:revision`, read from an ARN (`arn:aws:ecs:…:task-definition/api:3`) or the short form.
struct TaskDefinitionName: Sendable, Hashable, CustomStringConvertible {
    /// The family: `api`.
    var family: String
    /// The revision: 3.
    var revision: Int
    /// The text it was read from: the ARN, or `family:revision`; what calls that change a service send.
    var reference: String

    /// Reads `text`; nil when it names no revision.
    init?(_ text: String) {
        let name = text.split(separator: "/").last.map(String.init) ?? text
        guard let colon = name.lastIndex(of: ":"), let revision = Int(name[name.index(after: colon)...]) else {
            return nil
        }
        let family = String(name[..<colon])
        guard !family.isEmpty, !family.contains(":") else { return nil }
        self.family = family
        self.revision = revision
        reference = text
    }

    /// `api:3`.
    var description: String { "\(family):\(revision)" }
}
