#!/usr/bin/env bash
# Records this folder's store with a released `runbook` binary, and the renderings of it that later releases must
# reproduce byte for byte (Tests/RunbookCLITests/ReleaseStoreTests.swift). Run once per release whose store format
# the tests should pin:  Tests/RunbookCLITests/Fixtures/release-store/record.sh PATH/TO/runbook
# It exercises every kind of event a run, a person and `serve` write: retries, a failure carried on, a skip, gates
# approved and denied from another process, RTO warnings and a breach, recovery, notifications sent and failed, a
# cancel, a kill -9 and a resume, notes, and alerts received, unmatched, refused by a pattern and unreadable.
set -euo pipefail
runbook=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
cp -R "$here/runbooks" "$here/runbook.config.yaml" "$work/"
cd "$work"
export RUNBOOK_CONFIG="$work/runbook.config.yaml" RELEASE_STATE="$work" TZ=UTC NO_COLOR=1
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
hook_port=$(free_port)
export RELEASE_HOOK="http://127.0.0.1:$hook_port/hook" RELEASE_SERVE_PORT=$(free_port)
python3 -c '
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0))); self.send_response(200); self.end_headers()
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()' "$hook_port" &

run_of() { "$runbook" runs --output json | python3 -c "import json,sys; print([r['id'] for r in json.load(sys.stdin) if r['runbook']=='$1'][0])"; }
wait_for() {  # RUN PYTHON-CONDITION-ON-STATUS
    for _ in $(seq 300); do
        if "$runbook" status "$1" --output json 2>/dev/null | python3 -c "import json,sys; s=json.load(sys.stdin); sys.exit(0 if ($2) else 1)"; then return 0; fi
        sleep 0.1
    done
    echo "record.sh: $1 never reached: $2" >&2; exit 1
}
gate_waiting='any(x["outcome"]=="waiting" for x in s["steps"])'

# 1. approved from another process, after retries, a failure carried on and a skip; the RTO warns and breaches.
RUNBOOK_USER="Alice Example" "$runbook" exec checkout-errors --env prod --incident INC-100 -i token=s3cret >/dev/null 2>&1 &
exec_pid=$!
sleep 0.5; run1=$(run_of checkout-errors)
wait_for "$run1" "$gate_waiting"
RUNBOOK_USER=bob "$runbook" approve "$run1" restart --comment "deploy finished; restart is safe" >/dev/null
wait "$exec_pid"

# 2. denied, with a reason, on the same incident.
rm -f "$work/probe"
"$runbook" exec checkout-errors --env prod --incident INC-100 >/dev/null 2>&1 &
exec_pid=$!
sleep 0.5
run2=$("$runbook" runs --output json | python3 -c "import json,sys; print([r['id'] for r in json.load(sys.stdin) if r['id']!='$run1'][0])")
wait_for "$run2" "$gate_waiting"
"$runbook" deny "$run2" restart --reason "a deploy is in progress" >/dev/null
wait "$exec_pid" || true
"$runbook" note "$run2" "denied while deploy 4411 finishes" >/dev/null
"$runbook" note --incident INC-100 "root cause: pool exhausted after the 09:50 deploy" >/dev/null

# 3. cancelled mid-step.
"$runbook" exec long-wait --incident INC-101 >/dev/null 2>&1 &
exec_pid=$!
sleep 0.5; run3=$(run_of long-wait)
wait_for "$run3" 'any(x["outcome"]=="running" for x in s["steps"])'
"$runbook" cancel "$run3" >/dev/null
wait "$exec_pid" || true

# 4. killed with -9 mid-step, then resumed (the mutating step's gate answered with --yes).
"$runbook" exec long-wait --incident INC-102 >/dev/null 2>&1 &
exec_pid=$!
sleep 0.5
run4=$("$runbook" runs --output json | python3 -c "import json,sys; print([r['id'] for r in json.load(sys.stdin) if r['runbook']=='long-wait' and r['id']!='$run3'][0])")
wait_for "$run4" 'any(x["outcome"]=="running" for x in s["steps"])'
kill -9 "$exec_pid"; wait "$exec_pid" 2>/dev/null || true
# The file changes before the resume: the run goes on with the text it started with (its drain sleeps 30 s again),
# and run.resumed records the change.
sed -i 's/sleep 30/sleep 0.2/' runbooks/long-wait.yaml
"$runbook" resume "$run4" --yes >/dev/null 2>&1 || true

# 5. serve: an alert that starts a run, one that matches nothing, one refused by a pattern, and an unreadable body.
rm -f "$work/probe"
"$runbook" serve --listen "127.0.0.1:$RELEASE_SERVE_PORT" >/dev/null 2>&1 &
serve_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$RELEASE_SERVE_PORT/healthz" >/dev/null && break; sleep 0.1; done
hook() {
    curl -s -o /dev/null -w '%{http_code}\n' -H 'Authorization: Bearer release-token' -H 'Content-Type: application/json' \
        --data-binary "$1" "http://127.0.0.1:$RELEASE_SERVE_PORT/hooks/alertmanager"
}
alert() {  # ALERTNAME SERVICE
    printf '{"version":"4","groupKey":"{}:{alertname=\\"%s\\"}","status":"firing","receiver":"runbook","groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://am.example","alerts":[{"status":"firing","labels":{"alertname":"%s","service":"%s"},"annotations":{"summary":"%s is failing"},"startsAt":"2026-12-01T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prom.example/graph","fingerprint":"%s"}]}' \
        "$1" "$1" "$2" "$2" "$(printf '%s' "$1$2" | sha256sum | cut -c1-16)"
}
hook "$(alert CheckoutErrors checkout)"
hook "$(alert DiskAlmostFull db-1)"
hook "$(alert CheckoutErrors 'checkout; rm -rf /')"
hook '{"version":"4","alerts":'
run5=""
for _ in $(seq 300); do
    run5=$("$runbook" runs --output json | python3 -c "import json,sys; r=[x['id'] for x in json.load(sys.stdin) if x['runbook']=='checkout-errors' and x['id'] not in ('$run1','$run2')]; print(r[0] if r else '')")
    [ -n "$run5" ] && break; sleep 0.1
done
wait_for "$run5" "$gate_waiting"
RUNBOOK_USER=carol "$runbook" approve "$run5" restart >/dev/null
wait_for "$run5" 's["status"]!="running"'
kill -TERM "$serve_pid"; wait "$serve_pid" || true

# The store, checkpointed into one file, and what the tests compare.
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("PRAGMA wal_checkpoint(TRUNCATE)"); c.close()' state.db
rm -rf "$here/golden" && mkdir -p "$here/golden"
cp state.db "$here/state.db"
incident_of() { "$runbook" status "$1" --output json | python3 -c 'import json,sys; print(json.load(sys.stdin)["incident"])'; }
for run in "$run1" "$run2" "$run3" "$run4" "$run5"; do echo "$run $(incident_of "$run")"; done >"$here/golden/runs.txt"
"$runbook" audit verify >"$here/golden/verify.txt"
"$runbook" audit export >"$here/golden/export.ndjson"
"$runbook" audit head >"$here/golden/head.txt"
n=0
for run in "$run1" "$run2" "$run3" "$run4" "$run5"; do
    n=$((n + 1))
    "$runbook" log "$run" >"$here/golden/log-$n.txt"
    "$runbook" log "$run" --output json >"$here/golden/log-$n.ndjson"
    "$runbook" timeline "$run" >"$here/golden/timeline-$n.md"
done
for format in md json csv html postmortem; do
    "$runbook" timeline --incident INC-100 --format "$format" >"$here/golden/incident-INC-100.$format"
done
echo "recorded $(wc -l <"$here/golden/log-1.ndjson") + … events into $here/state.db"
