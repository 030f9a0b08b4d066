import Foundation
import Hummingbird
import Logging
import RunbookEngine
import RunbookLanguage
import RunbookStore

/// The runs API: `GET /runs`, `GET /runs/{id}` (its status and events, exactly as stored) and
/// `POST /runs/{id}/gates/{step}/approve` and `/deny`, answered as the token's name. Every call needs a token.
struct RunsEndpoint: Sendable {
    let state: ServerState
    let store: any EventStore
    let stateDirectory: String
    let logger: Logger

    /// `GET /runs?limit=N`: the newest runs first.
    func list(_ request: Request, _ context: some RequestContext) async -> Response {
        guard authorized(request) != nil else { return unauthorized() }
        let limit = min(max(request.uri.queryParameters.get("limit").flatMap { Int($0) } ?? 20, 1), 500)
        do throws(StoreError) {
            var runs: [Value] = []
            for id in try await store.recentRuns(limit: limit) {
                if let run = RunState(events: try await store.events(run: id)) { runs.append(summary(run)) }
            }
            return JSONResponse.make(.ok, ["runs": .array(runs)])
        } catch {
            return storeFailure(error)
        }
    }

    /// `GET /runs/{id}`: the run's status, steps and events.
    func show(_ request: Request, _ context: some RequestContext) async -> Response {
        guard authorized(request) != nil else { return unauthorized() }
        let id = context.parameters.get("id") ?? ""
        do throws(StoreError) {
            guard let run = RunState(events: try await store.events(run: id)) else {
                return JSONResponse.error(.notFound, "no run '\(id)'")
            }
            let steps: [Value] = run.stepOrder.compactMap { run.steps[$0] }.map { step in
                [
                    "id": .string(step.id), "outcome": step.outcome.map { .string($0.rawValue) } ?? .null,
                    "conclusion": step.conclusion.map { .string($0.rawValue) } ?? .null,
                    "waiting_at_gate": .bool(step.gateWaiting), "running": .bool(step.isRunning),
                    "duration_ms": step.durationMilliseconds.map { .number(Double($0)) } ?? .null,
                    "error": step.error.map(Value.string) ?? .null,
                ]
            }
            var document = summary(run).jsonString(pretty: false)
            // The events exactly as stored (their hashes cover these bytes), spliced in as they are.
            document.removeLast()
            document += ",\"steps\":" + Value.array(steps).jsonString(pretty: false)
            document += ",\"events\":[" + run.events.map(\.line).joined(separator: ",") + "]}"
            return JSONResponse.text(.ok, document + "\n")
        } catch {
            return storeFailure(error)
        }
    }

    /// `POST /runs/{id}/gates/{step}/approve` or `/deny`, with an optional JSON body `{"comment": …}` or
    /// `{"reason": …}`.
    func answer(_ request: Request, _ context: some RequestContext, approve: Bool) async -> Response {
        guard let person = authorized(request) else { return unauthorized() }
        let id = context.parameters.get("id") ?? ""
        let step = context.parameters.get("step") ?? ""
        let body = (try? await request.body.collect(upTo: 64 * 1_024)).map { Data($0.readableBytesView) } ?? Data()
        let note = body.isEmpty ? nil : (try? Value(jsonString: String(decoding: body, as: UTF8.self)))
            .map { $0.member(approve ? "comment" : "reason") }.flatMap { $0 == .null ? nil : $0.stringValue }
        do throws(StoreError) {
            guard let run = RunState(events: try await store.events(run: id)) else {
                return JSONResponse.error(.notFound, "no run '\(id)'")
            }
            let recorded: AuditEvent
            do throws(GateAnswerError) {
                recorded = try await GateAnswer(approve: approve, person: person, via: "api", note: note)
                    .record(in: store, state: run, step: step,
                            isAlive: RunLease.isHeld(directory: stateDirectory, run: id))
            } catch {
                return Self.refusal(error)
            }
            logger.info(
                "gate answered",
                metadata: ["run": .string(id), "step": .string(step), "by": .string(person),
                           "answer": .string(approve ? "approve" : "deny")])
            return JSONResponse.make(.ok, [
                "run": .string(id), "step": .string(step), "answer": .string(approve ? "approved" : "denied"),
                "by": .string(person), "seq": .number(Double(recorded.seq)),
            ])
        } catch {
            return storeFailure(error)
        }
    }

    /// `POST /runs/{id}/cancel`: records `run.cancel_requested`; the server stops the run's steps and records them
    /// as cancelled.
    func cancel(_ request: Request, _ context: some RequestContext) async -> Response {
        guard let person = authorized(request) else { return unauthorized() }
        let id = context.parameters.get("id") ?? ""
        do throws(StoreError) {
            guard let run = RunState(events: try await store.events(run: id)) else {
                return JSONResponse.error(.notFound, "no run '\(id)'")
            }
            guard run.recordedStatus == nil, run.isRunByServer, RunLease.isHeld(directory: stateDirectory, run: id) else {
                return JSONResponse.error(.conflict, "run \(id) is not running in a runbook serve")
            }
            _ = try await store.append([EventDraft(
                run: id, incident: run.incident, actor: .user(person), RunCancelRequested(via: "api"))])
            logger.info("cancel requested", metadata: ["run": .string(id), "by": .string(person)])
            return JSONResponse.make(.accepted, ["run": .string(id), "cancel_requested_by": .string(person)])
        } catch {
            return storeFailure(error)
        }
    }

    /// A refused answer: 409 when the gate was decided first, is not waiting or its run is not running; 403 when
    /// the token's name may not answer it; 400 for a malformed answer; 503 when the store failed. The body is
    /// `{"error": message, "code": kind}`.
    static func refusal(_ error: GateAnswerError) -> Response {
        let (status, code): (HTTPResponse.Status, String) = switch error.kind {
        case .decided: (.conflict, "decided")
        case .notWaiting: (.conflict, "not_waiting")
        case .notRunning: (.conflict, "not_running")
        case .forbidden: (.forbidden, "forbidden")
        case .invalid: (.badRequest, "invalid")
        case .storeFailed: (.serviceUnavailable, "store_failed")
        }
        return JSONResponse.make(status, ["error": .string(error.message), "code": .string(code)])
    }

    private func summary(_ run: RunState) -> Value {
        let alive = RunLease.isHeld(directory: stateDirectory, run: run.id)
        return [
            "id": .string(run.id), "runbook": .string(run.runbook),
            "status": .string(run.status(ownerAlive: alive).rawValue),
            "incident": run.incident.map(Value.string) ?? .null, "severity": .string(run.severity),
            "started": .string(run.startedAt), "finished": run.finishedAt.map(Value.string) ?? .null,
            "started_by": run.actor.map { .string($0.id) } ?? .null,
            "waiting": .array(run.stepOrder.compactMap { run.steps[$0] }.filter(\.gateWaiting).map { .string($0.id) }),
        ]
    }

    private func authorized(_ request: Request) -> String? {
        state.context.tokens.name(authorization: request.headers[.authorization])
    }

    private func unauthorized() -> Response {
        var response = JSONResponse.error(.unauthorized, "a bearer token of serve.tokens is required")
        response.headers[.wwwAuthenticate] = "Bearer"
        return response
    }

    private func storeFailure(_ error: StoreError) -> Response {
        logger.error("store: \(error.message)")
        return JSONResponse.error(JSONResponse.status(of: error), error.message)
    }
}
