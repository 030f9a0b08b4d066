import Foundation

extension KubernetesPeer.State {
    /// Adds a Deployment as a cluster would hold it after `images.count` rollouts: one ReplicaSet per image (revision
    /// 1, 2, …, owned by the Deployment, with a `pod-template-hash`), the last one current, and `replicas` ready pods
    /// of it named `NAME-hashN-K` unless `pods` gives their YAML (labels and namespace are set on them).
    /// - Parameters:
    ///   - labelKey: the label whose value is `name` on the Deployment's pods (its selector).
    ///   - status: the Deployment's `status` as JSON; by default fully rolled out.
    public mutating func addDeployment(
        _ name: String, namespace: String, labelKey: String = "app", images: [String], replicas: Int = 2,
        pods: [String]? = nil, status: String? = nil, generation: Int = 1
    ) throws {
        let uid = "uid-\(namespace)-\(name)"
        let revision = images.count
        func template(_ image: String, hash: String?) -> String {
            let hashLabel = hash.map { ",\"pod-template-hash\":\"\($0)\"" } ?? ""
            return """
                {"metadata":{"creationTimestamp":null,"labels":{"\(labelKey)":"\(name)"\(hashLabel)}},
                 "spec":{"containers":[{"name":"main","image":"\(image)","resources":{}}]}}
                """
        }
        let rolledOut = """
            {"observedGeneration":\(generation),"replicas":\(replicas),"updatedReplicas":\(replicas),
             "readyReplicas":\(replicas),"availableReplicas":\(replicas),
             "conditions":[{"type":"Available","status":"True","reason":"MinimumReplicasAvailable"},
                           {"type":"Progressing","status":"True","reason":"NewReplicaSetAvailable"}]}
            """
        try add(
            """
            {"apiVersion":"apps/v1","kind":"Deployment",
             "metadata":{"name":"\(name)","namespace":"\(namespace)","uid":"\(uid)","generation":\(generation),
                         "labels":{"\(labelKey)":"\(name)"},
                         "annotations":{"deployment.kubernetes.io/revision":"\(revision)"}},
             "spec":{"replicas":\(replicas),"selector":{"matchLabels":{"\(labelKey)":"\(name)"}},
                     "template":\(template(images[revision - 1], hash: nil))},
             "status":\(status ?? rolledOut)}
            """)
        for (index, image) in images.enumerated() {
            let hash = "hash\(index + 1)"
            let count = index == revision - 1 ? replicas : 0
            try add(
                """
                {"apiVersion":"apps/v1","kind":"ReplicaSet",
                 "metadata":{"name":"\(name)-\(hash)","namespace":"\(namespace)",
                             "labels":{"\(labelKey)":"\(name)","pod-template-hash":"\(hash)"},
                             "annotations":{"deployment.kubernetes.io/revision":"\(index + 1)",
                                            "deployment.kubernetes.io/desired-replicas":"\(replicas)",
                                            "team":"shop-\(index + 1)"},
                             "ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"\(name)",
                                                 "uid":"\(uid)","controller":true,"blockOwnerDeletion":true}]},
                 "spec":{"replicas":\(count),"selector":{"matchLabels":{"\(labelKey)":"\(name)",
                                                                       "pod-template-hash":"\(hash)"}},
                         "template":\(template(image, hash: hash))},
                 "status":{"replicas":\(count)}}
                """)
        }
        let currentLabels = [labelKey: name, "pod-template-hash": "hash\(revision)"]
        if let pods {
            for pod in pods { try add(pod, namespace: namespace, labels: currentLabels) }
            return
        }
        for index in 0..<replicas {
            try add(
                """
                {"apiVersion":"v1","kind":"Pod",
                 "metadata":{"name":"\(name)-hash\(revision)-\(index)","namespace":"\(namespace)"},
                 "spec":{"containers":[{"name":"main","image":"\(images[revision - 1])"}]},
                 "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}],
                           "containerStatuses":[{"name":"main","ready":true,"restartCount":0,
                                                 "state":{"running":{"startedAt":"2026-11-23T10:00:00Z"}}}]}}
                """, labels: currentLabels)
        }
    }
}
