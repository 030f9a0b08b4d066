import RunbookLanguage

/// `k8s.logs`: the last lines of a pod's log, or of each pod a selector matches (each line prefixed with
/// `[pod/NAME/CONTAINER]`, as `kubectl logs --prefix` does).
public struct KubernetesLogsAction: Action {
    /// Where the kubeconfig and credentials come from.
    public var sources: KubernetesCredentialSources

    /// Creates the action; by default it reads the process's `KUBECONFIG` (or `~/.kube/config`).
    public init(sources: KubernetesCredentialSources = KubernetesCredentialSources()) {
        self.sources = sources
    }

    /// The catalog's `k8s.logs` spec.
    public var spec: ActionSpec { .builtin("k8s.logs") }

    /// The annotation that names a pod's default container, as kubectl reads it.
    static let defaultContainerAnnotation = "kubectl.kubernetes.io/default-container"

    /// Reads the logs; outputs `lines` and `text`.
    /// - Throws: `ActionFailure` when the API cannot be reached or refuses, or (for a selector) no pod's log could be
    ///   read.
    public func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value] {
        let client = try KubernetesClient(context, sources: sources)
        let namespace = client.namespace(context)
        let options = try LogOptions(context)
        var lines: [String] = []
        if let selector = context.string("selector") {
            let list = try await client.json(.pods(namespace, selector: selector))
            guard case .array(let pods) = list.member("items"), !pods.isEmpty else {
                throw ActionFailure("k8s.logs: no pod matches '\(selector)' in namespace '\(namespace)'")
            }
            var failures: [String] = []
            for pod in pods {
                let name = pod.member("metadata").member("name").text ?? ""
                let container = options.container ?? Self.defaultContainer(pod)
                let request = KubernetesRequest.podLog(namespace, name, query: options.query(container: container))
                // One pod without a previous container must not hide the others' logs.
                let response = try await client.send(request, accepting: [400])
                let prefix = "[pod/\(name)/\(container ?? "")] "
                guard response.status == 400 else {
                    lines += Self.lines(response.text).map { prefix + $0 }
                    continue
                }
                let message = (try? Value(jsonString: response.text))?.member("message").text ?? response.text
                failures.append("\(name): \(message)")
                lines.append(prefix + "(no log: \(message))")
            }
            guard failures.count < pods.count else {
                throw ActionFailure(
                    "\(client.connection.endpointDescription): no log could be read: "
                        + failures.joined(separator: "; "))
            }
        } else {
            let name = try context.requiredString("pod", action: "k8s.logs")
            var container = options.container
            if container == nil { container = Self.defaultContainer(try await client.json(.pod(namespace, name))) }
            lines = Self.lines(
                try await client.text(.podLog(namespace, name, query: options.query(container: container))))
        }
        return ["lines": .array(lines.map(Value.string)), "text": .string(lines.joined(separator: "\n"))]
    }

    /// The container kubectl picks when none is named: the default-container annotation, else the first.
    static func defaultContainer(_ pod: Value) -> String? {
        if let annotated = pod.member("metadata").member("annotations").member(defaultContainerAnnotation).text {
            return annotated
        }
        return pod.member("spec").member("containers").element(0).member("name").text
    }

    private static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The log query parameters a step asks for.
    private struct LogOptions {
        var container: String?
        var tail: Int
        var sinceSeconds: Int?
        var previous: Bool

        init(_ context: ActionContext) throws(ActionFailure) {
            container = context.string("container")?.nonEmpty
            let tailValue = context.parameters["tail"] ?? .number(100)
            guard let tail = tailValue.numericValue, tail >= 0, tail.rounded() == tail else {
                throw ActionFailure("k8s.logs: 'tail' must be a whole number of lines, not \(tailValue)")
            }
            self.tail = Int(tail)
            switch context.parameters["since"] {
            case nil, .null?:
                sinceSeconds = nil
            case .number(let seconds)?:
                sinceSeconds = max(1, Int(seconds.rounded()))
            case let value?:
                switch DurationSyntax.parse(value.stringValue) {
                case .success(let duration):
                    sinceSeconds = max(1, Int((Double(duration / .milliseconds(1)) / 1000).rounded()))
                case .failure(let error):
                    throw ActionFailure("k8s.logs: 'since' \(error)")
                }
            }
            previous = context.parameters["previous"]?.isTruthy ?? false
        }

        /// `container`, `previous`, `sinceSeconds`, `tailLines`, as kubectl sends them.
        func query(container: String?) -> [String: String] {
            var query = ["tailLines": String(tail)]
            if let container { query["container"] = container }
            if previous { query["previous"] = "true" }
            if let sinceSeconds { query["sinceSeconds"] = String(sinceSeconds) }
            return query
        }
    }
}
