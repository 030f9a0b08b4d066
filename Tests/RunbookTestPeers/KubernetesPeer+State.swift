import Foundation
import Yams

extension KubernetesPeer {
    /// What the fake API server holds when it starts: objects, users, logs and how fast rollouts finish.
    public struct State: Sendable {
        /// Objects as YAML (or JSON) documents with `kind` Pod, Deployment or ReplicaSet.
        public var objects: [String] = []
        /// Bearer tokens and the users they stand for.
        public var tokens: [String: String] = [
            KubernetesPeer.adminToken: "alice", KubernetesPeer.viewerToken: "viewer",
        ]
        /// Users allowed only to read.
        public var readOnlyUsers: [String] = ["viewer"]
        /// How many reads of a Deployment its status lags behind a rollout (0: done at once).
        public var rolloutPolls = 0
        /// How many reads of a scale subresource are made stale at once by a simulated concurrent write.
        public var scaleConflicts = 0
        /// Log lines by `namespace/pod`, then container, then `current` or `previous`.
        public var logs: [String: [String: [String: [LogLine]]]] = [:]

        /// An empty cluster with the standard tokens.
        public init() {}

        /// One log line and how many seconds ago it was written.
        public struct LogLine: Sendable {
            /// Seconds ago.
            public var age: Int
            /// The text.
            public var text: String

            /// Creates a line.
            public init(age: Int, _ text: String) {
                self.age = age
                self.text = text
            }
        }

        /// Adds an object from YAML, optionally moved to `namespace` and with extra `labels`.
        public mutating func add(_ yaml: String, namespace: String? = nil, labels: [String: String] = [:]) throws {
            guard var object = try Yams.load(yaml: yaml) as? [String: Any] else {
                throw PeerError("the object is not a YAML mapping")
            }
            var metadata = object["metadata"] as? [String: Any] ?? [:]
            if let namespace { metadata["namespace"] = namespace }
            if !labels.isEmpty {
                metadata["labels"] = (metadata["labels"] as? [String: Any] ?? [:]).merging(labels) { $1 }
            }
            object["metadata"] = metadata
            let data = try JSONSerialization.data(withJSONObject: Self.jsonSafe(object))
            objects.append(String(decoding: data, as: UTF8.self))
        }

        /// Sets the log of one container.
        public mutating func setLog(
            namespace: String, pod: String, container: String, current: [LogLine], previous: [LogLine]? = nil
        ) {
            var containers = logs["\(namespace)/\(pod)"] ?? [:]
            var streams = ["current": current]
            if let previous { streams["previous"] = previous }
            containers[container] = streams
            logs["\(namespace)/\(pod)"] = containers
        }

        /// The state as the server's JSON.
        func json() throws -> Data {
            var byKind: [String: [Any]] = ["pods": [], "deployments": [], "replicasets": []]
            for text in objects {
                let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
                let kind = (object as? [String: Any])?["kind"] as? String ?? ""
                guard let key = ["Pod": "pods", "Deployment": "deployments", "ReplicaSet": "replicasets"][kind] else {
                    throw PeerError("the fake API server does not hold objects of kind '\(kind)'")
                }
                byKind[key, default: []].append(object)
            }
            let logs = self.logs.mapValues { containers in
                containers.mapValues { streams in
                    streams.mapValues { lines in lines.map { ["age": $0.age, "text": $0.text] as [String: Any] } }
                }
            }
            var state: [String: Any] = byKind
            state["tokens"] = tokens
            state["readOnlyUsers"] = readOnlyUsers
            state["rolloutPolls"] = rolloutPolls
            state["scaleConflicts"] = scaleConflicts
            state["logs"] = logs
            return try JSONSerialization.data(withJSONObject: state)
        }

        /// YAML values JSON can hold: dates become RFC 3339 text.
        private static func jsonSafe(_ value: Any) -> Any {
            switch value {
            case let map as [String: Any]: return map.mapValues(jsonSafe)
            case let list as [Any]: return list.map(jsonSafe)
            case let date as Date: return ISO8601DateFormatter().string(from: date)
            case is NSNull: return NSNull()
            default: return value
            }
        }
    }
}
