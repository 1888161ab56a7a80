import Fluent
import Foundation
import LanternCore
import NIOCore
import Testing
import VaporTesting
@testable import LanternApp

@Suite("Errors, limits, health and metrics")
struct PlatformTests {
    @Test(arguments: TestDatabase.available)
    func unknownPagesGetAnAccessible404PageOrJSON(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            let page = try await browser.get("/no-such-page")
            #expect(page.status == .notFound)
            #expect(page.body.string.contains("<h1 class=\"heading-l\">Page not found</h1>"))
            #expect(page.body.string.contains("lang=\"en-GB\""))
            let json = try await browser.get("/api/no-such-thing", accept: "application/json")
            #expect(json.status == .notFound)
            #expect(json.headers.contentType == .json)
            #expect(json.body.string.contains("\"title\":\"Page not found\""))
        }
    }

    @Test(arguments: TestDatabase.available)
    func oversizedBodiesAreRefusedWith413(_ database: TestDatabase) async throws {
        try await withLantern(database, maxBodySize: 4096) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .administrator)
            let response = try await browser.post("/admin/teams", ["name": String(repeating: "x", count: 10_000)])
            #expect(response.status == .payloadTooLarge)
            #expect(response.body.string.contains("What you sent is too large"))
            #expect(try await Team.query(on: env.db).count() == Team.standardNames.count)
        }
    }

    @Test(arguments: TestDatabase.available)
    func malformedFormsGetA400NotACrash(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.get("/sign-in")
            var body = ByteBuffer()
            body.writeString("{\"email\": [1,2,3]}")
            let response = try await browser.send(.POST, "/sign-in", headers: ["Content-Type": "application/json", "X-CSRF-Token": browser.csrf!, "Accept": "text/html"], body: body)
            #expect(response.status == .badRequest)
        }
    }

    @Test(arguments: TestDatabase.available)
    func healthReportsTheDatabase(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let response = try await env.browser().get("/health", accept: "application/json")
            #expect(response.status == .ok)
            #expect(response.body.string.contains("\"database\":\"reachable\""))
            #expect(response.headers[.setCookie].isEmpty, "health checks create no sessions")
            #expect(try await env.browser().get("/health/live", accept: "application/json").status == .ok)
            let ready = try await env.browser().get("/health/ready", accept: "application/json")
            #expect(ready.status == .ok && ready.body.string.contains("\"status\":\"ready\""))
        }
    }

    @Test(arguments: TestDatabase.available)
    func anInstanceIsNotReadyWhileAMigrationIsMissingOrItIsStopping(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let latest = try #require(LanternMigrations.names(cipher: env.app.lantern.cipher).last)
            try await env.sql.raw("DELETE FROM _fluent_migrations WHERE name = \(bind: latest)").run()
            let behind = try await env.browser().get("/health/ready", accept: "application/json")
            #expect(behind.status == .serviceUnavailable)
            #expect(behind.body.string.contains("migrations pending") && behind.body.string.contains(latest))
            #expect(try await env.browser().get("/health/live", accept: "application/json").status == .ok)
            try await env.sql.raw("INSERT INTO _fluent_migrations (id, name, batch, created_at, updated_at) VALUES (\(bind: UUID()), \(bind: latest), 1, NULL, NULL)").run()
            #expect(try await env.browser().get("/health/ready", accept: "application/json").status == .ok)
            await env.app.jobs.stop()
            let stopping = try await env.browser().get("/health/ready", accept: "application/json")
            #expect(stopping.status == .serviceUnavailable && stopping.body.string.contains("stopping"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func metricsArePrometheusTextForTheScraperOnlyAndNeverCountPublicReports(_ database: TestDatabase) async throws {
        let token = "scraper-" + UUID().uuidString
        try await withLantern(database, adjusting: { $0.metricsToken = token }) { env in
            let browser = try env.browser()
            try await browser.get("/sign-in")
            _ = try await ConcernsTests.reportAnonymously(browser)
            #expect(try await browser.get("/metrics").status == .unauthorized)
            let wrong = try await browser.send(.GET, "/metrics", headers: ["Authorization": "Bearer not-\(token)"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.headers.first(name: .wwwAuthenticate)?.hasPrefix("Bearer") == true)
            let response = try await browser.send(.GET, "/metrics", headers: ["Authorization": "Bearer \(token)"])
            #expect(response.status == .ok)
            #expect(response.headers.first(name: .contentType)?.hasPrefix("text/plain") == true)
            let text = response.body.string
            #expect(text.contains("http_requests_total") && text.contains("path=\"/sign-in\""))
            // (The registry is the process's, so other tests' pages such as /reports appear too.)
            #expect(!text.contains("path=\"/report\"") && !text.contains("path=\"/report/"), "public reporting activity must not show in metrics")
        }
        // Without a token configured the page does not exist.
        try await withLantern(database) { env in
            let response = try await env.browser().get("/metrics")
            #expect(response.status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.available)
    func pagesCarryTheSecurityHeaders(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let response = try await env.browser().get("/sign-in")
            #expect(response.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
            #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
            #expect(response.headers.first(name: "Referrer-Policy") == "no-referrer")
            #expect(response.headers.first(name: .cacheControl) == "no-store")
        }
    }

    @Test(arguments: TestDatabase.available)
    func housekeepingClearsSessionsThatCanNoLongerBeUsed(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .auditor)
            env.clock.advance(by: 31 * 60)
            // Unusable at once, but kept a few hours to recognise a form sent from a page left open.
            #expect(try await Housekeeping.runOnce(env.app).sessions == 0)
            #expect(try await browser.get("/home").status == .seeOther)
            env.clock.advance(by: DatabaseSessionDriver.expiredKeptFor)
            let result = try await Housekeeping.runOnce(env.app)
            #expect(result.sessions >= 1)
            #expect(try await StoredSession.query(on: env.db).count() == 0)
        }
    }
}
