import Fluent
import LanternCore
import Metrics
import Prometheus
import Vapor

/// The Prometheus registry behind `/metrics`. swift-metrics can be bootstrapped once per
/// process, so every application in the process shares it.
enum MetricsRegistry {
    static let shared: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}

struct HealthAndMetricsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("health", use: health)
        routes.get("metrics", use: metrics)
    }

    struct Health: Content {
        let status: String
        let database: String
    }

    /// 200 when the database answers, 503 otherwise: what a load balancer needs.
    func health(req: Request) async throws -> Response {
        var ok = true
        do {
            _ = try await (req.db as! any SQLDatabase).raw("SELECT 1 AS one").all()
        } catch {
            ok = false
            req.logger.error("health check: database unreachable")
        }
        let response = Response(status: ok ? .ok : .serviceUnavailable)
        try response.content.encode(Health(status: ok ? "ok" : "unavailable", database: ok ? "reachable" : "unreachable"))
        return response
    }

    /// Prometheus text for a scraper holding the configured bearer token. Without a token
    /// configured the page does not exist; a wrong or missing token is refused.
    func metrics(req: Request) async throws -> Response {
        guard let token = req.lantern.configuration.metricsToken else { throw Abort(.notFound) }
        let presented = req.headers.bearerAuthorization?.token ?? ""
        guard SecretToken.constantTimeEquals(presented, token) else {
            var headers = HTTPHeaders()
            headers.add(name: .wwwAuthenticate, value: "Bearer realm=\"lantern-metrics\"")
            return Response(status: .unauthorized, headers: headers)
        }
        var buffer: [UInt8] = []
        MetricsRegistry.shared.emit(into: &buffer)
        var headers = HTTPHeaders()
        headers.add(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        return Response(status: .ok, headers: headers, body: .init(data: Data(buffer)))
    }
}
