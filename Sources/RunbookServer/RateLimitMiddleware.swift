import Hummingbird
import RunbookLanguage

/// Holds every caller to `serve.rate_limit` and `serve.rate_burst`: a token's requests (and signed PagerDuty
/// deliveries, which come without one, together) beyond them get 429 with `Retry-After`. `/healthz` and `/metrics`
/// are not limited; a request without a known token goes on to its 401.
struct RateLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let state: ServerState
    let limiter: RateLimiter

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        let caller = state.context.tokens.name(authorization: request.headers[.authorization])
            ?? (path == "/hooks/pagerduty" ? "pagerduty" : nil)
        guard let caller, path != "/healthz", path != "/metrics" else { return try await next(request, context) }
        let settings = state.context.settings
        guard let wait = await limiter.take(caller, rate: settings.rateLimit, burst: settings.rateBurst) else {
            return try await next(request, context)
        }
        var response = JSONResponse.error(
            .tooManyRequests, "\(caller) is over serve.rate_limit (\(settings.rateLimit) a second); retry in \(wait) s")
        response.headers[.retryAfter] = String(wait)
        return response
    }
}
