extension ActionCatalog {
    private static let namespace = ParameterSpec.optional(
        "namespace", .string, "The namespace; defaults to the environment's kubernetes.namespace.")
    private static let deployment = ParameterSpec.required("deployment", .string, "The Deployment's name.")

    /// The Kubernetes actions.
    static let kubernetes: [ActionSpec] = [
        ActionSpec(
            name: "k8s.pods", summary: "Lists pods by label selector with phase, readiness, restarts and reasons.",
            mutating: false, defaultTimeout: .seconds(60),
            parameters: [namespace, .required("selector", .string, "A label selector, e.g. 'app=api'.")],
            outputs: [
                OutputSpec("total", "Pods matched."), OutputSpec("ready", "Pods ready."),
                OutputSpec("crashloop", "Pods with a container in CrashLoopBackOff."),
                OutputSpec("oom_killed", "Pods with a container last terminated by OOMKilled."),
                OutputSpec("restarts", "Container restarts, summed."), OutputSpec("pods", "Each pod's details."),
            ]),
        ActionSpec(
            name: "k8s.logs", summary: "Reads the last lines of a pod's (or each selected pod's) log.",
            mutating: false, defaultTimeout: .seconds(60),
            parameters: [
                namespace,
                .optional("pod", .string, "A pod's name."),
                .optional("selector", .string, "A label selector; each line is prefixed with its pod's name."),
                .optional("container", .string, "The container, when the pod has several."),
                .optional("tail", .int, "Lines per pod.", default: 100),
                .optional("since", .duration, "Only lines newer than this."),
                .optional("previous", .bool, "The previous (crashed) container's log.", default: false),
            ],
            exactlyOneOf: [["pod", "selector"]],
            outputs: [OutputSpec("lines", "The lines, as a list."), OutputSpec("text", "The lines, as text.")]),
        ActionSpec(
            name: "k8s.scale", summary: "Sets a Deployment's replicas through the scale subresource.",
            mutating: true, defaultTimeout: .seconds(60),
            parameters: [
                namespace, deployment,
                .optional("replicas", .int, "The new replica count."),
                .optional("by", .signedCount, "A change of the current count, e.g. '+2'."),
            ],
            exactlyOneOf: [["replicas", "by"]],
            outputs: [OutputSpec("previous", "The replica count before."), OutputSpec("replicas", "The count set.")]),
        ActionSpec(
            name: "k8s.restart", summary: "Restarts a Deployment's pods as `kubectl rollout restart` does.",
            mutating: true, defaultTimeout: .seconds(60),
            parameters: [namespace, deployment],
            outputs: [OutputSpec("restarted_at", "The restartedAt annotation set.")]),
        ActionSpec(
            name: "k8s.rollback", summary: "Rolls a Deployment back as `kubectl rollout undo` does.",
            mutating: true, defaultTimeout: .seconds(60),
            parameters: [
                namespace, deployment,
                .optional("to_revision", .int, "The revision to go back to; the previous one when absent."),
            ],
            outputs: [OutputSpec("from_revision", "The revision before."), OutputSpec("to_revision", "The revision now.")]),
        ActionSpec(
            name: "k8s.rollout_status", summary: "Waits until a Deployment is fully rolled out.",
            mutating: false, defaultTimeout: .seconds(600),
            parameters: [namespace, deployment],
            outputs: [OutputSpec("updated", "Updated replicas."), OutputSpec("available", "Available replicas.")]),
    ]
}
