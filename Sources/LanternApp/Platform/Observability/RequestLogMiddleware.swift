import Foundation
import Metrics
import Vapor

/// One structured log line per request: method, route pattern (not the raw path, which may
/// carry identifiers), status and duration. No query strings, IP addresses or user agents,
/// so logs hold no personal data (`shared/docs/domain/security.md` §1).
struct RequestLogMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let started = ContinuousClock.now
        Self.settleRequestID(request)
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
            "duration_ms": .string(Self.tenths(ms)),
        ])
        guard Self.isCounted(route) else { return }
        let dimensions = [("method", request.method.rawValue), ("path", route), ("status", "\(status)")]
        Counter(label: "http_requests_total", dimensions: dimensions).increment()
        Metrics.Timer(label: "http_request_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds)
            .recordNanoseconds(Int64(ms * 1_000_000))
    }

    /// "12.3": one decimal place, without `String(format:)`, which costs more than the rest of
    /// the line on every request.
    static func tenths(_ ms: Double) -> String {
        let tenths = Int((ms * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// A proxy's `X-Request-Id` is kept when it is a plain token of at most 64 characters
    /// (`[A-Za-z0-9._-]`); anything else (it reaches logs and the audit log) is replaced by a new id.
    static func settleRequestID(_ request: Request) {
        if let given = request.headers.first(name: .xRequestId), isAcceptableRequestID(given) { return }
        let fresh = UUID().uuidString
        request.headers.replaceOrAdd(name: .xRequestId, value: fresh)
        request.logger[metadataKey: "request-id"] = .string(fresh)
    }

    static func isAcceptableRequestID(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count) && id.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2E || byte == 0x5F || byte == 0x2D
        }
    }

    /// The public reporting pages are never counted: how many reports arrive, and when, would
    /// tell an exploiter watching a worker whether a report was made.
    static func isCounted(_ route: String) -> Bool {
        !(route == "/report" || route.hasPrefix("/report/"))
    }
}
