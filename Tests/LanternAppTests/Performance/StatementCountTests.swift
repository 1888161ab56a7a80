import Fluent
import Foundation
import LanternCore
import Testing
import Vapor
@testable import LanternApp

/// The busiest pages ask the database for what they need in few statements. A page that starts
/// asking once per row, or loses a join, shows here before it shows in a benchmark.
@Suite struct StatementCountTests {
    @Test(arguments: TestDatabase.available)
    func theBusiestPagesStayWithinTheirStatementBudgets(_ database: TestDatabase) async throws {
        // Kept for the whole test, so a slow run does not count a refresh against a page.
        try await withLantern(database, adjusting: { $0.organisationFreshFor = 3600 }) { env in
            let counter = StatementCounter()
            env.app.middleware.use(StatementCounter.Middleware(counter: counter), at: .beginning)
            let caseworker = try env.browser()
            try await caseworker.signIn(as: .caseworker)
            let caseID = try #require(Self.firstLink(to: "/cases/", in: try await caseworker.get("/cases").body.string))
            let lead = try env.browser()
            try await lead.signIn(as: .safeguardingLead)
            let concernID = try #require(Self.firstLink(to: "/concerns/", in: try await lead.get("/concerns").body.string))
            let procurement = try env.browser()
            try await procurement.signIn(as: .procurementOfficer)
            let analyst = try env.browser()
            try await analyst.signIn(as: .partnershipAnalyst)
            let visitor = try env.browser()

            // The most statements each page may send, besides its audit rows.
            let pages: [(String, Browser, String, Int)] = [
                ("/sign-in", visitor, "/sign-in", 0),
                ("/report", visitor, "/report", 0),
                ("/home", caseworker, "/home", 4),
                ("/cases", caseworker, "/cases", 3),
                // One more since the case's sharing with partners joined the page.
                ("/cases/:id", caseworker, "/cases/\(caseID)", 13),
                ("/concerns", lead, "/concerns", 3),
                ("/concerns/:id", lead, "/concerns/\(concernID)", 9),
                ("/suppliers?q=", procurement, "/suppliers?q=clean", 3),
                ("/contracts", procurement, "/contracts", 4),
                ("/reports", analyst, "/reports", 20),
            ]
            for (name, browser, path, budget) in pages {
                try await browser.get(path)  // the first visit fills the organisation's cache
                counter.reset()
                let response = try await browser.get(path)
                #expect(response.status == .ok, "\(name)")
                let statements = counter.recorded.filter { !Self.isAuditAppend($0) }
                #expect(statements.count <= budget, "\(name) sent \(statements.count) statements, over its \(budget):\n\(statements.joined(separator: "\n"))")
            }
        }
    }

    /// A statement of the audit log's append: its transaction, its lock and its rows. (On SQLite
    /// the append's transaction holds a connection that logs elsewhere, so it is not seen at all.)
    static func isAuditAppend(_ sql: String) -> Bool {
        ["BEGIN", "COMMIT", "ROLLBACK"].contains(sql) || sql.contains("audit_entries") || sql.contains("pg_advisory_xact_lock")
    }

    /// The id in the first link to `/prefix<uuid>` on a page.
    static func firstLink(to prefix: String, in html: String) -> String? {
        var rest = html[...]
        while let range = rest.range(of: "href=\"" + prefix) {
            let id = rest[range.upperBound...].prefix(36)
            if UUID(uuidString: String(id)) != nil { return String(id) }
            rest = rest[range.upperBound...]
        }
        return nil
    }
}
