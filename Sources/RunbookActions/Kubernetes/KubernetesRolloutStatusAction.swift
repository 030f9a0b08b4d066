import RunbookLanguage

/// `k8s.rollout_status`: waits until a Deployment is fully rolled out, by the rules of `kubectl rollout status`;
/// fails when its progress deadline is exceeded, and ends when the engine cancels it at the step's timeout.
public struct KubernetesRolloutStatusAction: Action {
    /// Where the kubeconfig and credentials come from.
    public var sources: KubernetesCredentialSources
    /// How long it waits between reads of the Deployment.
    public var pollInterval: Duration

    /// Creates the action; by default it reads the process's `KUBECONFIG` and polls every 2 seconds.
    public init(
        sources: KubernetesCredentialSources = KubernetesCredentialSources(), pollInterval: Duration = .seconds(2)
    ) {
        self.sources = sources
        self.pollInterval = pollInterval
    }

    /// The catalog's `k8s.rollout_status` spec.
    public var spec: ActionSpec { .builtin("k8s.rollout_status") }

    /// Waits; outputs `updated` and `available`.
    /// - Throws: `ActionFailure` when the progress deadline is exceeded, on cancellation, or when the API cannot be
    ///   reached or refuses.
    public func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value] {
        let deployment = try DeploymentReference(context, sources: sources, action: "k8s.rollout_status")
        while true {
            let object = try await deployment.fetch()
            let status = object.member("status")
            let outputs: [String: Value] = [
                "updated": .number(status.member("updatedReplicas").numericValue ?? 0),
                "available": .number(status.member("availableReplicas").numericValue ?? 0),
            ]
            switch Self.progress(object) {
            case .done:
                return outputs
            case .failed(let reason):
                throw ActionFailure("deployment \(deployment.qualifiedName) \(reason)", outputs: outputs)
            case .waiting(let reason):
                context.emit(OutputLine(stream: .stdout, text: reason))
            }
            do {
                try await Task.sleep(for: pollInterval)
            } catch {
                throw ActionFailure.cancelled(outputs: outputs)
            }
        }
    }

    /// Where a rollout stands.
    enum Progress: Equatable {
        case done
        case waiting(String)
        case failed(String)
    }

    /// kubectl's `DeploymentStatusViewer.Status`: observedGeneration caught up, no ProgressDeadlineExceeded, all
    /// replicas updated, no old ones left, all updated ones available.
    static func progress(_ deployment: Value) -> Progress {
        let status = deployment.member("status")
        let generation = deployment.member("metadata").member("generation").numericValue ?? 0
        let observed = status.member("observedGeneration").numericValue ?? 0
        guard generation <= observed else { return .waiting("waiting for the deployment spec update to be observed") }
        if case .array(let conditions) = status.member("conditions"),
            let progressing = conditions.first(where: { $0.member("type").text == "Progressing" }),
            progressing.member("reason").text == "ProgressDeadlineExceeded"
        {
            let detail = progressing.member("message").text.map { ": \($0)" } ?? ""
            return .failed("exceeded its progress deadline\(detail); check the new pods' events and logs")
        }
        let number = { (key: String) in Int(status.member(key).numericValue ?? 0) }
        let updated = number("updatedReplicas")
        if let wanted = deployment.member("spec").member("replicas").integer, updated < wanted {
            return .waiting("\(updated) out of \(wanted) new replicas have been updated")
        }
        if number("replicas") > updated {
            return .waiting("\(number("replicas") - updated) old replicas are pending termination")
        }
        if number("availableReplicas") < updated {
            return .waiting("\(number("availableReplicas")) of \(updated) updated replicas are available")
        }
        return .done
    }
}
