import Foundation
import Hummingbird
import Logging
import NIOCore
import RunbookActions
import RunbookAlerts
import RunbookLanguage
import RunbookStore

/// `POST /hooks/{source}`: authenticates a webhook, reads its alerts, records them durably and hands them to the
/// dispatcher, then answers: 200 with what each alert came to; 400 (a payload that cannot be read) or 403 (an SNS
/// subscription that must not be confirmed), both recorded as `webhook.rejected`; 401; 404 for an unknown source;
/// 413; 502 when SNS refuses a confirmation; 503 when the store cannot record the alerts.
struct WebhookEndpoint: Sendable {
    let state: ServerState
    let dispatcher: RunDispatcher
    let store: any EventStore
    let metrics: ServerMetrics
    let logger: Logger

    func handle(_ request: Request, _ context: some RequestContext) async -> Response {
        let started = ContinuousClock.now
        let name = context.parameters.get("source") ?? ""
        guard let source = AlertSource(rawValue: name) else {
            return JSONResponse.error(
                .notFound,
                "no hook '\(name)'; the hooks are " + AlertSource.allCases.map { "/hooks/\($0.rawValue)" }
                    .joined(separator: ", "))
        }
        let response = await answer(request, source: source, context: state.context)
        metrics.webhook(source: source.rawValue, code: Int(response.status.code), duration: ContinuousClock.now - started)
        return response
    }

    private func answer(_ request: Request, source: AlertSource, context: ServeContext) async -> Response {
        let limit = context.settings.maxBodyBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            return JSONResponse.error(.contentTooLarge, "the body is \(length) bytes; the limit is \(limit)")
        }
        let bearer = context.tokens.name(authorization: request.headers[.authorization])
        // A PagerDuty delivery may prove itself with its signature instead; the others need a token.
        if bearer == nil, source != .pagerduty {
            return unauthorized(source, "a bearer token of serve.tokens is required")
        }
        let body: Data
        do {
            body = Data(try await request.body.collect(upTo: limit).readableBytesView)
        } catch {
            return JSONResponse.error(.contentTooLarge, "the body is over the limit of \(limit) bytes")
        }
        let headers = WebhookHeaders(request.headers.map { (name: $0.name.rawName, value: $0.value) })
        var sender = bearer ?? ""
        if bearer == nil {
            guard let secret = context.settings.pagerDutySecret else {
                return unauthorized(source, "no bearer token, and serve.pagerduty_secret is not set to check a signature")
            }
            do throws(WebhookSignatureError) {
                try PagerDutySignature.verify(
                    body: body, header: headers[PagerDutySignature.header], secrets: [secret])
            } catch {
                return unauthorized(source, error.message)
            }
            sender = "pagerduty"
        }
        let delivery: AlertDelivery
        do throws(AlertPayloadError) {
            delivery = try context.receiver(for: source).receive(body: body, headers: headers)
        } catch {
            return await reject(source, sender: sender, reason: error.description)
        }
        switch delivery {
        case .ignored(let reason):
            return JSONResponse.make(.ok, ["ignored": .string(reason)])
        case .subscriptionConfirmation(let confirmation):
            return await confirm(confirmation, context: context, sender: sender)
        case .alerts(let alerts):
            return await accept(alerts, sender: sender, delivery: headers["X-Webhook-Id"])
        }
    }

    private func accept(_ alerts: [Alert], sender: String, delivery: String?) async -> Response {
        // A delivery id is the sender's: two senders may use the same one.
        let key = delivery.map { RunDispatcher.deliveryKey(sender: sender, id: $0) }
        if let key, let delivery {
            switch await dispatcher.check(delivery: key) {
            case .new:
                break
            case .recorded:
                return JSONResponse.make(.ok, ["repeated_delivery": .string(delivery), "alerts": []])
            case .recording:
                return JSONResponse.error(.conflict, "delivery \(delivery) is being recorded now; retry in a moment")
            }
        }
        let plan = await dispatcher.plan(alerts, sender: sender, delivery: delivery)
        do throws(StoreError) {
            if !plan.drafts.isEmpty { _ = try await store.append(plan.drafts) }
        } catch {
            await dispatcher.rollback(plan, delivery: key)
            logger.error("alerts could not be recorded: \(error.message)")
            let status = JSONResponse.status(of: error)
            return JSONResponse.error(
                status, "the alerts could not be recorded, so nothing was started"
                    + (status == .serviceUnavailable ? "; retry later" : "; the store is damaged: run runbook audit verify"))
        }
        await dispatcher.commit(plan, delivery: key)
        return JSONResponse.make(.ok, ["alerts": .array(plan.summary)])
    }

    private func confirm(
        _ confirmation: SNSSubscriptionConfirmation, context: ServeContext, sender: String
    ) async -> Response {
        let url: URL
        do throws(SNSConfirmationRefusal) {
            url = try SNSTopicAllowList(context.settings.snsTopics).confirmationURL(for: confirmation)
        } catch {
            return await reject(.cloudwatch, sender: sender, reason: error.message, status: .forbidden)
        }
        do {
            let response = try await RunbookActions.HTTPRequest(url: url.absoluteString, timeout: .seconds(10)).send()
            guard (200..<300).contains(response.status) else {
                return JSONResponse.error(.badGateway, "SNS answered \(response.status) to the subscription confirmation")
            }
        } catch {
            return JSONResponse.error(.badGateway, "the subscription could not be confirmed: \(error)")
        }
        logger.info("SNS subscription confirmed", metadata: ["topic": .string(confirmation.topicArn)])
        return JSONResponse.make(.ok, ["confirmed": .string(confirmation.topicArn)])
    }

    /// Records a delivery that cannot be read (no run starts) and answers `status` with the reason.
    private func reject(
        _ source: AlertSource, sender: String, reason: String, status: HTTPResponse.Status = .badRequest
    ) async -> Response {
        logger.warning("webhook rejected", metadata: ["source": .string(source.rawValue), "reason": .string(reason)])
        let draft = EventDraft(
            run: "", actor: Actor(kind: "alert", id: sender),
            WebhookRejected(source: source.rawValue, reason: reason, status: Int64(status.code)))
        _ = try? await store.append([draft])
        return JSONResponse.error(status, reason)
    }

    private func unauthorized(_ source: AlertSource, _ reason: String) -> Response {
        logger.warning("webhook refused", metadata: ["source": .string(source.rawValue), "reason": .string(reason)])
        var response = JSONResponse.error(.unauthorized, reason)
        response.headers[.wwwAuthenticate] = "Bearer"
        return response
    }
}
