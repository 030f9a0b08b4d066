import RunbookLanguage

/// What `k8s.pods` reports of one pod: phase, readiness, restarts, and why containers wait or last ended.
struct PodStatusSummary: Sendable, Hashable {
    /// The pod's name.
    var name: String
    /// `Pending`, `Running`, `Succeeded`, `Failed` or `Unknown`.
    var phase: String
    /// Whether the pod's `Ready` condition is true.
    var ready: Bool
    /// Restarts of all its containers.
    var restarts: Int
    /// Whether a container waits in `CrashLoopBackOff`.
    var crashLooping: Bool
    /// Whether a container was last (or is now) terminated by `OOMKilled`.
    var oomKilled: Bool
    /// The node it runs on.
    var node: String?
    /// Each container's state.
    var containers: [Value]

    /// Reads a Pod object.
    init(_ pod: Value) {
        name = pod.member("metadata").member("name").text ?? ""
        let status = pod.member("status")
        phase = status.member("phase").text ?? "Unknown"
        node = pod.member("spec").member("nodeName").text
        if case .array(let conditions) = status.member("conditions") {
            ready = conditions.contains { $0.member("type").text == "Ready" && $0.member("status").text == "True" }
        } else {
            ready = false
        }
        var statuses: [Value] = []
        for key in ["initContainerStatuses", "containerStatuses"] {
            if case .array(let items) = status.member(key) { statuses += items }
        }
        restarts = statuses.reduce(0) { $0 + Int($1.member("restartCount").numericValue ?? 0) }
        crashLooping = statuses.contains {
            $0.member("state").member("waiting").member("reason").text == "CrashLoopBackOff"
        }
        oomKilled = statuses.contains {
            $0.member("lastState").member("terminated").member("reason").text == "OOMKilled"
                || $0.member("state").member("terminated").member("reason").text == "OOMKilled"
        }
        containers = statuses.map(Self.container)
    }

    /// One container's name, readiness, restarts, current state (with its reason) and last termination.
    private static func container(_ status: Value) -> Value {
        var entry: [String: Value] = [
            "name": status.member("name"), "ready": .bool(status.member("ready").isTruthy),
            "restarts": .number(status.member("restartCount").numericValue ?? 0),
        ]
        let state = status.member("state")
        for kind in ["waiting", "running", "terminated"] where state.member(kind) != .null {
            entry["state"] = .string(kind)
            if let reason = state.member(kind).member("reason").text { entry["reason"] = .string(reason) }
        }
        let last = status.member("lastState").member("terminated")
        if last != .null {
            entry["last_terminated_reason"] = last.member("reason")
            entry["last_exit_code"] = last.member("exitCode")
        }
        return .object(entry)
    }

    /// The pod as the `pods` output lists it.
    var value: Value {
        var entry: [String: Value] = [
            "name": .string(name), "phase": .string(phase), "ready": .bool(ready),
            "restarts": .number(Double(restarts)), "crashloop": .bool(crashLooping), "oom_killed": .bool(oomKilled),
            "containers": .array(containers),
        ]
        if let node { entry["node"] = .string(node) }
        return .object(entry)
    }
}
