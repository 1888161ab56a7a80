import Foundation
import Metrics
import Vapor

/// One structured log line per request: method, route pattern (not the raw path, which may
/// carry identifiers), status and duration. No query strings, IP addresses or user agents,
/// so logs hold no personal data (`shared/docs/domain/security.md` §1).
struct RequestLogMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let started = ContinuousClock.now
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            log(request, status: (error as? any AbortError)?.status.code ?? 500, started: started)
            throw error
        }
        log(request, status: response.status.code, started: started)
        return response
    }

    private func log(_ request: Request, status: UInt, started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "unmatched"
        request.logger.info("request", metadata: [
            "method": .string(request.method.rawValue),
            "route": .string(route),
            "status": .stringConvertible(status),
            "duration_ms": .string(String(format: "%.1f", ms)),
        ])
        guard Self.isCounted(route) else { return }
        let dimensions = [("method", request.method.rawValue), ("path", route), ("status", "\(status)")]
        Counter(label: "http_requests_total", dimensions: dimensions).increment()
        Metrics.Timer(label: "http_request_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds)
            .recordNanoseconds(Int64(ms * 1_000_000))
    }

    /// The public reporting pages are never counted: how many reports arrive, and when, would
    /// tell an exploiter watching a worker whether a report was made.
    static func isCounted(_ route: String) -> Bool {
        !(route == "/report" || route.hasPrefix("/report/"))
    }
}
