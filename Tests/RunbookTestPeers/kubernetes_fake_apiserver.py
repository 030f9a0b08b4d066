#!/usr/bin/env python3
"""A small, stateful fake of the Kubernetes API server for runbook's tests.

It serves HTTPS with a server certificate, authenticates bearer tokens and client certificates (the subject's CN is
the user), and implements what `kubectl` and runbook's k8s.* actions use: discovery, pods (list by label selector,
get, log with tailLines/sinceSeconds/container/previous), deployments (get, merge / strategic-merge / JSON patch),
the deployments/scale subresource (merge patch, 409 Conflict on a stale resourceVersion) and replicasets. A tiny
"controller" rolls a Deployment out when its template or replicas change: it keeps one ReplicaSet per template
(revision annotation, owner reference, pod-template-hash), replaces the old pods with ready ones and updates the
status; `rolloutPolls` delays the status by that many GETs of the Deployment, and `scaleConflicts` makes that many
reads of a scale stale at once (as if another writer changed the Deployment), so a patch carrying their
resourceVersion gets 409 Conflict.

Every request is appended to a request log (JSON lines); the state is written to a snapshot after each change.

Usage: kubernetes_fake_apiserver.py --state STATE.json --cert C --key K --client-ca CA --port-file F --log L
       --snapshot S
"""

import argparse
import copy
import datetime
import hashlib
import http.server
import json
import os
import re
import signal
import ssl
import threading
import time
import urllib.parse
import uuid

HASH_LABEL = "pod-template-hash"
REVISION = "deployment.kubernetes.io/revision"


def status_object(code, reason, message, details=None):
    body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message,
            "reason": reason, "code": code}
    if details is not None:
        body["details"] = details
    return body


class APIError(Exception):
    def __init__(self, code, reason, message, details=None):
        super().__init__(message)
        self.status = status_object(code, reason, message, details)


def not_found(resource, name):
    return APIError(404, "NotFound", f'{resource} "{name}" not found', {"name": name, "kind": resource.split(".")[0]})


# ---------------------------------------------------------------------------------------------------- selectors


def split_requirements(text):
    parts, depth, current = [], 0, ""
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    if current.strip():
        parts.append(current)
    return [part.strip() for part in parts if part.strip()]


def parse_selector(text):
    """A label selector as a list of predicates on a label map; raises APIError on bad syntax."""
    predicates = []
    for requirement in split_requirements(text or ""):
        match = re.fullmatch(r"([A-Za-z0-9./_-]+)\s+(in|notin)\s+\((.*)\)", requirement)
        if match:
            key, operator = match.group(1), match.group(2)
            values = {value.strip() for value in match.group(3).split(",") if value.strip()}
            if operator == "in":
                predicates.append(lambda labels, k=key, v=values: labels.get(k) in v)
            else:
                predicates.append(lambda labels, k=key, v=values: labels.get(k) not in v)
            continue
        match = re.fullmatch(r"([A-Za-z0-9./_-]+)\s*(==|!=|=)\s*([A-Za-z0-9._-]*)", requirement)
        if match:
            key, operator, value = match.groups()
            if operator == "!=":
                predicates.append(lambda labels, k=key, v=value: labels.get(k) != v)
            else:
                predicates.append(lambda labels, k=key, v=value: labels.get(k) == v)
            continue
        match = re.fullmatch(r"(!?)([A-Za-z0-9./_-]+)", requirement)
        if match:
            negated, key = match.groups()
            predicates.append(lambda labels, k=key, n=negated: (k in labels) != bool(n))
            continue
        raise APIError(400, "BadRequest", f"unable to parse requirement: {requirement!r}")
    return lambda labels: all(predicate(labels or {}) for predicate in predicates)


def selector_string(label_selector):
    """metav1.LabelSelector as kubectl writes it (requirements sorted by key)."""
    requirements = []
    for key, value in (label_selector.get("matchLabels") or {}).items():
        requirements.append((key, f"{key}={value}"))
    for expression in label_selector.get("matchExpressions") or []:
        key, operator, values = expression["key"], expression["operator"], sorted(expression.get("values") or [])
        text = {"In": f"{key} in ({','.join(values)})", "NotIn": f"{key} notin ({','.join(values)})",
                "Exists": key, "DoesNotExist": f"!{key}"}[operator]
        requirements.append((key, text))
    return ",".join(text for _, text in sorted(requirements))


# ---------------------------------------------------------------------------------------------------- patches


def merge_patch(target, patch):
    """RFC 7386."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def strategic_merge_patch(target, patch):
    """Strategic merge for the fields used here: maps merge, lists of named objects merge by name."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if key.startswith("$"):
            continue
        current = result.get(key)
        if value is None:
            result.pop(key, None)
        elif isinstance(value, list) and isinstance(current, list) and all(
                isinstance(item, dict) and "name" in item for item in value + current):
            merged = {item["name"]: item for item in current}
            order = [item["name"] for item in current]
            for item in value:
                if item["name"] in merged:
                    merged[item["name"]] = strategic_merge_patch(merged[item["name"]], item)
                else:
                    merged[item["name"]] = item
                    order.append(item["name"])
            result[key] = [merged[name] for name in order]
        else:
            result[key] = strategic_merge_patch(current, value)
    return result


def pointer_parts(path):
    if not path.startswith("/"):
        raise APIError(422, "Invalid", f"the JSON pointer {path!r} must start with /")
    return [part.replace("~1", "/").replace("~0", "~") for part in path[1:].split("/")]


def json_patch(target, operations):
    """RFC 6902: add, remove, replace, test."""
    document = copy.deepcopy(target)
    if not isinstance(operations, list):
        raise APIError(400, "BadRequest", "a JSON patch must be a list of operations")
    for operation in operations:
        parts = pointer_parts(operation.get("path", ""))
        parent = document
        for part in parts[:-1]:
            parent = parent[int(part)] if isinstance(parent, list) else parent.get(part)
            if parent is None:
                raise APIError(422, "Invalid", f"the path {operation['path']!r} does not exist")
        last, op = parts[-1], operation.get("op")
        if op in ("add", "replace"):
            if op == "replace" and isinstance(parent, dict) and last not in parent:
                raise APIError(422, "Invalid", f"replace operation does not apply: doc is missing key: "
                                               f"{operation['path']}")
            if isinstance(parent, list):
                index = len(parent) if last == "-" else int(last)
                if op == "add":
                    parent.insert(index, operation["value"])
                else:
                    parent[index] = operation["value"]
            else:
                parent[last] = operation["value"]
        elif op == "remove":
            if isinstance(parent, list):
                del parent[int(last)]
            else:
                parent.pop(last, None)
        elif op == "test":
            current = parent[int(last)] if isinstance(parent, list) else parent.get(last)
            if current != operation.get("value"):
                raise APIError(422, "Invalid", f"testing value {operation['path']} failed")
        else:
            raise APIError(400, "BadRequest", f"unsupported JSON patch operation {op!r}")
    return document


# ---------------------------------------------------------------------------------------------------- discovery

CORE_RESOURCES = [
    {"name": "pods", "singularName": "pod", "namespaced": True, "kind": "Pod",
     "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
     "shortNames": ["po"], "categories": ["all"]},
    {"name": "pods/log", "singularName": "", "namespaced": True, "kind": "Pod", "verbs": ["get"]},
]
APPS_RESOURCES = [
    {"name": "deployments", "singularName": "deployment", "namespaced": True, "kind": "Deployment",
     "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
     "shortNames": ["deploy"], "categories": ["all"]},
    {"name": "deployments/scale", "singularName": "", "namespaced": True, "group": "autoscaling", "version": "v1",
     "kind": "Scale", "verbs": ["get", "patch", "update"]},
    {"name": "deployments/status", "singularName": "", "namespaced": True, "kind": "Deployment",
     "verbs": ["get", "patch", "update"]},
    {"name": "replicasets", "singularName": "replicaset", "namespaced": True, "kind": "ReplicaSet",
     "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
     "shortNames": ["rs"], "categories": ["all"]},
]
DISCOVERY = {
    "/api": {"kind": "APIVersions", "versions": ["v1"],
             "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]},
    "/apis": {"kind": "APIGroupList", "apiVersion": "v1", "groups": [
        {"name": "apps", "versions": [{"groupVersion": "apps/v1", "version": "v1"}],
         "preferredVersion": {"groupVersion": "apps/v1", "version": "v1"}}]},
    "/api/v1": {"kind": "APIResourceList", "groupVersion": "v1", "resources": CORE_RESOURCES},
    "/apis/apps/v1": {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "apps/v1",
                      "resources": APPS_RESOURCES},
    "/apis/apps": {"kind": "APIGroup", "apiVersion": "v1", "name": "apps",
                   "versions": [{"groupVersion": "apps/v1", "version": "v1"}],
                   "preferredVersion": {"groupVersion": "apps/v1", "version": "v1"}},
    "/version": {"major": "1", "minor": "32", "gitVersion": "v1.32.0-fake", "platform": "linux/amd64"},
}


# ---------------------------------------------------------------------------------------------------- state


class Cluster:
    """The objects, the users and the fake controller, behind one lock."""

    def __init__(self, state, snapshot_path):
        self.lock = threading.RLock()
        self.snapshot_path = snapshot_path
        self.tokens = state.get("tokens", {})
        self.read_only_users = set(state.get("readOnlyUsers", []))
        self.rollout_polls = int(state.get("rolloutPolls", 0))
        self.scale_conflicts = int(state.get("scaleConflicts", 0))
        self.pending_polls = {}
        self.version = 1000
        self.objects = {"pods": {}, "deployments": {}, "replicasets": {}}
        self.logs = state.get("logs", {})
        for kind in self.objects:
            for item in state.get(kind, []):
                metadata = item.setdefault("metadata", {})
                metadata.setdefault("namespace", "default")
                metadata.setdefault("uid", str(uuid.uuid4()))
                metadata.setdefault("resourceVersion", self.next_version())
                metadata.setdefault("generation", 1)
                metadata.setdefault("creationTimestamp", now())
                self.objects[kind][(metadata["namespace"], metadata["name"])] = item
        self.write_snapshot()

    def next_version(self):
        self.version += 1
        return str(self.version)

    def write_snapshot(self):
        snapshot = {kind: list(items.values()) for kind, items in self.objects.items()}
        with open(self.snapshot_path + ".tmp", "w") as file:
            json.dump(snapshot, file)
        # A rename, so a reader never sees half a file.
        os.replace(self.snapshot_path + ".tmp", self.snapshot_path)

    def get(self, kind, namespace, name, resource):
        item = self.objects[kind].get((namespace, name))
        if item is None:
            raise not_found(resource, name)
        return item

    def list(self, kind, namespace, selector):
        matches = parse_selector(selector)
        items = [item for (item_namespace, _), item in sorted(self.objects[kind].items())
                 if (namespace is None or item_namespace == namespace)
                 and matches(item["metadata"].get("labels"))]
        return items

    # -- the fake deployment controller

    def template_hash(self, template):
        return hashlib.sha256(json.dumps(template, sort_keys=True).encode()).hexdigest()[:10]

    def owned_replicasets(self, deployment):
        uid = deployment["metadata"]["uid"]
        return [rs for rs in self.objects["replicasets"].values()
                if any(ref.get("uid") == uid and ref.get("controller") for ref in
                       rs["metadata"].get("ownerReferences", []))]

    def reconcile(self, deployment):
        """Rolls the Deployment out: one ReplicaSet per template, ready pods for the current one."""
        namespace, name = deployment["metadata"]["namespace"], deployment["metadata"]["name"]
        template = deployment["spec"]["template"]
        replicas = deployment["spec"].get("replicas", 1)
        owned = self.owned_replicasets(deployment)

        def without_hash(rs_template):
            stripped = copy.deepcopy(rs_template)
            stripped.get("metadata", {}).get("labels", {}).pop(HASH_LABEL, None)
            return stripped

        current = next((rs for rs in owned if without_hash(rs["spec"]["template"]) == template), None)
        revisions = [int(rs["metadata"].get("annotations", {}).get(REVISION, "0")) for rs in owned]
        if current is None:
            pod_hash = self.template_hash(template)
            rs_template = copy.deepcopy(template)
            rs_template.setdefault("metadata", {}).setdefault("labels", {})[HASH_LABEL] = pod_hash
            selector = copy.deepcopy(deployment["spec"]["selector"])
            selector.setdefault("matchLabels", {})[HASH_LABEL] = pod_hash
            current = {
                "apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": {
                    "name": f"{name}-{pod_hash}", "namespace": namespace, "uid": str(uuid.uuid4()),
                    "generation": 1, "creationTimestamp": now(),
                    "labels": copy.deepcopy(rs_template["metadata"]["labels"]),
                    "annotations": {},
                    "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": name,
                                         "uid": deployment["metadata"]["uid"], "controller": True,
                                         "blockOwnerDeletion": True}]},
                "spec": {"replicas": replicas, "selector": selector, "template": rs_template},
                "status": {}}
            self.objects["replicasets"][(namespace, current["metadata"]["name"])] = current
        newest = max(revisions + [0])
        current_revision = int(current["metadata"]["annotations"].get(REVISION, "0"))
        # A new template, or an old one brought back, becomes the newest revision.
        revision = str(current_revision if current in owned and current_revision == newest else newest + 1)
        current["metadata"]["annotations"][REVISION] = revision
        deployment["metadata"].setdefault("annotations", {})[REVISION] = revision
        for rs in owned + [current]:
            rs_replicas = replicas if rs is current else 0
            rs["spec"]["replicas"] = rs_replicas
            rs["status"] = {"replicas": rs_replicas, "readyReplicas": rs_replicas,
                            "availableReplicas": rs_replicas, "observedGeneration": 1}
            rs["metadata"]["resourceVersion"] = self.next_version()
        self.replace_pods(deployment, current, replicas)
        deployment["status"] = {
            "observedGeneration": deployment["metadata"]["generation"], "replicas": replicas,
            "updatedReplicas": replicas, "readyReplicas": replicas, "availableReplicas": replicas,
            "conditions": [
                {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable",
                 "message": "Deployment has minimum availability.", "lastUpdateTime": now(),
                 "lastTransitionTime": now()},
                {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable",
                 "message": f'ReplicaSet "{current["metadata"]["name"]}" has successfully progressed.',
                 "lastUpdateTime": now(), "lastTransitionTime": now()}]}

    def replace_pods(self, deployment, current, replicas):
        namespace = deployment["metadata"]["namespace"]
        matches = parse_selector(selector_string(deployment["spec"]["selector"]))
        for key, pod in list(self.objects["pods"].items()):
            if key[0] == namespace and matches(pod["metadata"].get("labels")):
                del self.objects["pods"][key]
        template = current["spec"]["template"]
        for index in range(replicas):
            name = f"{current['metadata']['name']}-{uuid.uuid4().hex[:5]}"
            containers = template.get("spec", {}).get("containers", [])
            self.objects["pods"][(namespace, name)] = {
                "apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": name, "namespace": namespace, "uid": str(uuid.uuid4()),
                             "resourceVersion": self.next_version(), "creationTimestamp": now(),
                             "labels": copy.deepcopy(template.get("metadata", {}).get("labels", {})),
                             "annotations": copy.deepcopy(template.get("metadata", {}).get("annotations", {})),
                             "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                                  "name": current["metadata"]["name"],
                                                  "uid": current["metadata"]["uid"], "controller": True}]},
                "spec": copy.deepcopy(template.get("spec", {})),
                "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}],
                           "containerStatuses": [
                               {"name": container["name"], "image": container.get("image", ""), "ready": True,
                                "restartCount": 0, "started": True, "state": {"running": {"startedAt": now()}},
                                "lastState": {}} for container in containers]}}

    def changed(self, deployment, before):
        """After a write: bump the generation when the spec changed and let the controller act."""
        deployment["metadata"]["resourceVersion"] = self.next_version()
        if deployment.get("spec") != before.get("spec"):
            deployment["metadata"]["generation"] = before["metadata"].get("generation", 1) + 1
            self.reconcile(deployment)
            if self.rollout_polls > 0:
                self.pending_polls[id(deployment)] = (self.rollout_polls, deployment["status"])
                deployment["status"] = copy.deepcopy(before.get("status", {}))
        self.write_snapshot()

    def observe(self, deployment):
        """A GET of a Deployment: a lagging rollout comes one poll closer to done."""
        pending = self.pending_polls.get(id(deployment))
        if pending is None:
            return
        remaining, final_status = pending
        if remaining <= 1:
            deployment["status"] = final_status
            del self.pending_polls[id(deployment)]
            self.write_snapshot()
        else:
            self.pending_polls[id(deployment)] = (remaining - 1, final_status)


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------------------------------- HTTP


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    cluster = None
    log_path = None
    log_lock = threading.Lock()

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        self.handle_request("GET")

    def do_PATCH(self):
        self.handle_request("PATCH")

    def do_PUT(self):
        self.handle_request("PUT")

    def do_POST(self):
        self.handle_request("POST")

    def do_DELETE(self):
        self.handle_request("DELETE")

    def handle_request(self, method):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        content_type = self.headers.get("Content-Type", "")
        user = self.authenticate()
        status = 500
        try:
            if user is None:
                raise APIError(401, "Unauthorized", "Unauthorized")
            status, payload = self.route(method, url.path, query, body, content_type.split(";")[0].strip(), user)
        except APIError as error:
            status, payload = error.status["code"], error.status
        except (KeyError, ValueError, TypeError, IndexError) as error:
            status, payload = 400, status_object(400, "BadRequest", f"bad request: {error}")
        self.record(method, url.path, query, content_type, body, user, status)
        if isinstance(payload, str):
            data, kind = payload.encode(), "text/plain"
        else:
            data, kind = json.dumps(payload).encode(), "application/json"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def authenticate(self):
        authorization = self.headers.get("Authorization", "")
        if authorization.startswith("Bearer "):
            return self.cluster.tokens.get(authorization[len("Bearer "):].strip())
        certificate = self.connection.getpeercert() if hasattr(self.connection, "getpeercert") else None
        if certificate:
            for entry in certificate.get("subject", ()):
                for key, value in entry:
                    if key == "commonName":
                        return value
        return None

    def record(self, method, path, query, content_type, body, user, status):
        entry = {"method": method, "path": path, "query": query, "contentType": content_type, "body": body,
                 "user": user, "status": status, "userAgent": self.headers.get("User-Agent", "")}
        with self.log_lock, open(self.log_path, "a") as file:
            file.write(json.dumps(entry) + "\n")

    def authorize(self, user, verb, resource, group, namespace, name):
        if verb in ("get", "list", "watch") or user not in self.cluster.read_only_users:
            return
        group_text = f'in API group "{group}"' if group else 'in API group ""'
        subject = f'{resource.split("/")[0]}{"." + group if group else ""} "{name}"'
        raise APIError(403, "Forbidden", f'{subject} is forbidden: User "{user}" cannot {verb} resource '
                                         f'"{resource}" {group_text} in the namespace "{namespace}"',
                       {"name": name, "group": group, "kind": resource.split("/")[0]})

    def route(self, method, path, query, body, content_type, user):
        if path in DISCOVERY or path.startswith("/openapi"):
            if path not in DISCOVERY:
                raise APIError(404, "NotFound", "the server could not find the requested resource")
            return 200, DISCOVERY[path]
        match = re.fullmatch(r"/(api/v1|apis/apps/v1)/namespaces/([^/]+)/([^/]+)(?:/([^/]+))?(?:/([^/]+))?", path)
        if not match:
            raise APIError(404, "NotFound", "the server could not find the requested resource")
        prefix, namespace, kind, name, subresource = match.groups()
        group = "apps" if prefix.startswith("apis/apps") else ""
        if (group, kind) not in (("", "pods"), ("apps", "deployments"), ("apps", "replicasets")):
            raise APIError(404, "NotFound", "the server could not find the requested resource")
        resource = f"{kind}.{group}" if group else kind
        full_resource = f"{kind}/{subresource}" if subresource else kind
        verb = {"GET": "get" if name else "list", "PATCH": "patch", "PUT": "update"}.get(method, method.lower())
        self.authorize(user, verb, full_resource, group, namespace, name or "")
        cluster = self.cluster
        with cluster.lock:
            if name is None:
                if method != "GET":
                    raise APIError(405, "MethodNotAllowed", f"{method} is not supported on lists here")
                items = cluster.list(kind, namespace, (query.get("labelSelector") or [""])[0])
                kind_name = {"pods": "PodList", "deployments": "DeploymentList", "replicasets": "ReplicaSetList"}
                return 200, {"kind": kind_name[kind], "apiVersion": "apps/v1" if group else "v1",
                             "metadata": {"resourceVersion": str(cluster.version)}, "items": items}
            item = cluster.get(kind, namespace, name, resource)
            if subresource == "log" and kind == "pods" and method == "GET":
                return 200, self.pod_log(item, query)
            if subresource == "scale" and kind == "deployments":
                return self.scale(method, item, body, content_type)
            if subresource is not None:
                raise APIError(404, "NotFound", "the server could not find the requested resource")
            if method == "GET":
                if kind == "deployments":
                    cluster.observe(item)
                return 200, item
            if method == "PATCH" and kind == "deployments":
                before = copy.deepcopy(item)
                patched = self.apply_patch(item, body, content_type)
                self.check_version(patched, before, resource)
                item.clear()
                item.update(patched)
                item["metadata"]["resourceVersion"] = before["metadata"]["resourceVersion"]
                cluster.changed(item, before)
                return 200, item
            raise APIError(405, "MethodNotAllowed", f"{method} {path} is not supported by the fake")

    @staticmethod
    def apply_patch(item, body, content_type):
        patch = json.loads(body)
        if content_type == "application/merge-patch+json":
            return merge_patch(item, patch)
        if content_type == "application/strategic-merge-patch+json":
            return strategic_merge_patch(item, patch)
        if content_type == "application/json-patch+json":
            return json_patch(item, patch)
        raise APIError(415, "UnsupportedMediaType", f'the body of the request was in an unknown format - accepted '
                                                    f'media types include: application/json-patch+json, '
                                                    f'application/merge-patch+json, '
                                                    f'application/strategic-merge-patch+json')

    @staticmethod
    def check_version(patched, before, resource):
        wanted = patched.get("metadata", {}).get("resourceVersion")
        if wanted is not None and wanted != before["metadata"]["resourceVersion"]:
            name = before["metadata"]["name"]
            raise APIError(409, "Conflict", f'Operation cannot be fulfilled on {resource} "{name}": the object has '
                                            f'been modified; please apply your changes to the latest version and try '
                                            f'again', {"name": name, "kind": resource.split(".")[0]})

    def scale(self, method, deployment, body, content_type):
        metadata = deployment["metadata"]

        def scale_object():
            return {"kind": "Scale", "apiVersion": "autoscaling/v1",
                    "metadata": {"name": metadata["name"], "namespace": metadata["namespace"],
                                 "uid": metadata["uid"], "resourceVersion": metadata["resourceVersion"],
                                 "creationTimestamp": metadata["creationTimestamp"]},
                    "spec": {"replicas": deployment["spec"].get("replicas", 1)},
                    "status": {"replicas": deployment.get("status", {}).get("replicas", 0),
                               "selector": selector_string(deployment["spec"]["selector"])}}

        if method == "GET":
            scale = scale_object()
            if self.cluster.scale_conflicts > 0:
                # Another writer changes the Deployment right after this read, so a patch based on it is stale.
                self.cluster.scale_conflicts -= 1
                metadata["resourceVersion"] = self.cluster.next_version()
            return 200, scale
        if method != "PATCH":
            raise APIError(405, "MethodNotAllowed", f"{method} is not supported on deployments/scale by the fake")
        before = copy.deepcopy(deployment)
        patched = self.apply_patch(scale_object(), body, content_type)
        self.check_version(patched, before, "deployments.apps")
        replicas = patched.get("spec", {}).get("replicas")
        if not isinstance(replicas, int) or replicas < 0:
            raise APIError(422, "Invalid", f'Scale.autoscaling "{metadata["name"]}" is invalid: spec.replicas: '
                                           f'Invalid value: {replicas!r}: must be greater than or equal to 0')
        deployment["spec"]["replicas"] = replicas
        self.cluster.changed(deployment, before)
        return 200, scale_object()

    def pod_log(self, pod, query):
        containers = [container["name"] for container in pod.get("spec", {}).get("containers", [])]
        container = (query.get("container") or [""])[0]
        name = pod["metadata"]["name"]
        if not container:
            if len(containers) != 1:
                raise APIError(400, "BadRequest", f"a container name must be specified for pod {name}, choose one "
                                                  f"of: [{' '.join(containers)}]")
            container = containers[0]
        if container not in containers:
            raise APIError(400, "BadRequest", f"container {container} is not valid for pod {name}")
        previous = (query.get("previous") or ["false"])[0] == "true"
        pod_logs = self.cluster.logs.get(pod["metadata"]["namespace"] + "/" + name, {}).get(container, {})
        lines = pod_logs.get("previous" if previous else "current")
        if lines is None:
            if previous:
                raise APIError(400, "BadRequest", f'previous terminated container "{container}" in pod "{name}" '
                                                  f'not found')
            lines = []
        if "sinceSeconds" in query:
            limit = int(query["sinceSeconds"][0])
            lines = [line for line in lines if line["age"] <= limit]
        if "tailLines" in query:
            count = int(query["tailLines"][0])
            lines = lines[-count:] if count > 0 else []
        return "".join(line["text"] + "\n" for line in lines)


def main():
    parser = argparse.ArgumentParser()
    for option in ("state", "cert", "key", "client-ca", "port-file", "log", "snapshot"):
        parser.add_argument("--" + option, required=True)
    arguments = parser.parse_args()
    with open(arguments.state) as file:
        state = json.load(file)
    Handler.cluster = Cluster(state, arguments.snapshot)
    Handler.log_path = arguments.log
    open(arguments.log, "a").close()

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(arguments.cert, arguments.key)
    context.load_verify_locations(arguments.client_ca)
    context.verify_mode = ssl.CERT_OPTIONAL

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    # The handshake runs in the request's thread, so one stalled client cannot block the others.
    server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    with open(arguments.port_file + ".tmp", "w") as file:
        file.write(str(server.server_address[1]))
    os.replace(arguments.port_file + ".tmp", arguments.port_file)
    # The test process may ignore SIGTERM (dispatch signal sources need that), and ignored signals are inherited.
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    server.serve_forever()


if __name__ == "__main__":
    main()
