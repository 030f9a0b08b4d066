import RunbookLanguage

/// What `kubectl rollout undo` would do to a Deployment: the ReplicaSet of the revision to go back to, the template
/// and annotations to restore, and the JSON patch that restores them.
struct RollbackPlan: Sendable {
    /// The Deployment's revision now.
    var fromRevision: Int
    /// The revision restored.
    var toRevision: Int
    /// The Deployment's pod template now.
    var currentTemplate: Value
    /// The template restored: the ReplicaSet's, without its `pod-template-hash` label.
    var template: Value
    /// The Deployment's annotations after the rollback.
    var annotations: Value

    /// The label the Deployment controller adds to each ReplicaSet's template.
    static let hashLabel = "pod-template-hash"
    /// The annotation holding a ReplicaSet's (and a Deployment's) revision.
    static let revisionAnnotation = "deployment.kubernetes.io/revision"
    /// Annotations kept from the Deployment rather than copied from the ReplicaSet (kubectl's `annotationsToSkip`).
    static let annotationsToSkip: Set<String> = [
        "kubectl.kubernetes.io/last-applied-configuration", revisionAnnotation,
        "deployment.kubernetes.io/revision-history", "deployment.kubernetes.io/desired-replicas",
        "deployment.kubernetes.io/max-replicas", "deprecated.deployment.rollback.to",
    ]

    /// Whether the Deployment already runs the revision's template (kubectl then skips the rollback).
    var matchesCurrent: Bool { Self.withoutHash(currentTemplate) == template }

    /// The JSON patch kubectl sends: replace `/spec/template` and `/metadata/annotations`.
    var patch: Value {
        [
            ["op": "replace", "path": "/spec/template", "value": template],
            ["op": "replace", "path": "/metadata/annotations", "value": annotations],
        ]
    }

    /// Reads the Deployment and its ReplicaSets and picks the revision: `toRevision`, or the one before the newest.
    /// - Throws: `ActionFailure` when the Deployment is paused, has no history, or lacks the revision.
    static func make(_ deployment: DeploymentReference, toRevision: Int?) async throws(ActionFailure) -> RollbackPlan {
        let object = try await deployment.fetch()
        if object.member("spec").member("paused").isTruthy {
            throw ActionFailure(
                "k8s.rollback: deployment \(deployment.qualifiedName) is paused and cannot be rolled back; resume it "
                    + "first (kubectl rollout resume)")
        }
        let selector = try LabelSelector.text(
            object.member("spec").member("selector"), of: "deployment \(deployment.qualifiedName)")
        let list = try await deployment.client.json(.replicaSets(deployment.namespace, selector: selector))
        let uid = object.member("metadata").member("uid").text
        var owned: [(revision: Int, replicaSet: Value)] = []
        if case .array(let items) = list.member("items") {
            for replicaSet in items where isControlled(replicaSet, by: uid) {
                // Like kubectl, a ReplicaSet whose revision is not a number is left out; one without is revision 0.
                let annotation = replicaSet.member("metadata").member("annotations").member(revisionAnnotation)
                guard let revision = annotation == .null ? 0 : annotation.integer else { continue }
                owned.append((revision, replicaSet))
            }
        }
        let chosen: (revision: Int, replicaSet: Value)
        if let toRevision {
            guard let match = owned.first(where: { $0.revision == toRevision }) else {
                throw ActionFailure(
                    "k8s.rollback: deployment \(deployment.qualifiedName) has no revision \(toRevision); its "
                        + "revisions are \(owned.map(\.revision).sorted().map(String.init).joined(separator: ", "))")
            }
            chosen = match
        } else {
            let newestFirst = owned.sorted { $0.revision > $1.revision }
            guard newestFirst.count >= 2 else {
                throw ActionFailure(
                    "k8s.rollback: deployment \(deployment.qualifiedName) has no earlier revision to roll back to "
                        + "(no rollout history)")
            }
            chosen = newestFirst[1]
        }
        var annotations: [String: Value] = [:]
        if case .object(let current) = object.member("metadata").member("annotations") {
            for (key, value) in current where annotationsToSkip.contains(key) { annotations[key] = value }
        }
        if case .object(let copied) = chosen.replicaSet.member("metadata").member("annotations") {
            for (key, value) in copied where !annotationsToSkip.contains(key) { annotations[key] = value }
        }
        return RollbackPlan(
            fromRevision: object.member("metadata").member("annotations").member(revisionAnnotation).integer ?? 0,
            toRevision: chosen.revision, currentTemplate: object.member("spec").member("template"),
            template: withoutHash(chosen.replicaSet.member("spec").member("template")),
            annotations: .object(annotations))
    }

    /// Whether `object`'s controller owner reference points at the uid.
    private static func isControlled(_ object: Value, by uid: String?) -> Bool {
        guard let uid, case .array(let references) = object.member("metadata").member("ownerReferences") else {
            return false
        }
        return references.contains { $0.member("controller").isTruthy && $0.member("uid").text == uid }
    }

    /// A pod template without the `pod-template-hash` label.
    static func withoutHash(_ template: Value) -> Value {
        guard case .object(var members) = template, case .object(var metadata) = members["metadata"],
            case .object(var labels) = metadata["labels"]
        else { return template }
        labels[hashLabel] = nil
        metadata["labels"] = .object(labels)
        members["metadata"] = .object(metadata)
        return .object(members)
    }
}
