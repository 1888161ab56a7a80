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
        routes.get("health", use: ready)
        routes.get("health", "live", use: live)
        routes.get("health", "ready", use: ready)
        routes.get("metrics", use: metrics)
    }

    struct Health: Content {
        let status: String
        let database: String
        /// Migrations this version has that the database lacks (it has not been migrated yet).
        var pendingMigrations: [String] = []
    }

    /// 200 while the process answers at all: a supervisor restarts it otherwise.
    func live(req: Request) async throws -> Health {
        Health(status: "live", database: "not checked")
    }

    /// 200 only when this instance should be sent requests: the database answers, every migration
    /// this version knows has been applied, and the instance is not shutting down. A load
    /// balancer stops sending requests on 503.
    func ready(req: Request) async throws -> Response {
        var health = Health(status: "ready", database: "reachable")
        do {
            let sql = req.db as! any SQLDatabase
            let applied = Set(try await sql.raw("SELECT name FROM _fluent_migrations").all().map { try $0.decode(column: "name", as: String.self) })
            health.pendingMigrations = LanternMigrations.names(cipher: req.lantern.cipher).filter { !applied.contains($0) }
            if !health.pendingMigrations.isEmpty { health = Health(status: "migrations pending", database: "reachable", pendingMigrations: health.pendingMigrations) }
        } catch {
            req.logger.error("health check: database unreachable")
            health = Health(status: "unavailable", database: "unreachable")
        }
        if req.application.jobs.stopping { health = Health(status: "stopping", database: health.database) }
        let response = Response(status: health.status == "ready" ? .ok : .serviceUnavailable)
        try response.content.encode(health)
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
