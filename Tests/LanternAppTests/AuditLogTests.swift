import Fluent
import Foundation
import LanternCore
import Testing
import VaporTesting
@testable import LanternApp

@Suite("Audit log")
struct AuditLogTests {
    /// Signs in and out a few times so the log has rows to tamper with.
    func populate(_ env: TestEnvironment) async throws {
        let browser = try env.browser()
        try await browser.signIn(as: .administrator)
        try await browser.post("/admin/teams", ["name": "Housing Options"])
        try await browser.post("/sign-out", [:])
        try await browser.get("/sign-in")
        try await browser.post("/sign-in", ["email": "nobody@example.org", "password": "wrong"])
    }

    @Test(arguments: TestDatabase.available)
    func anUntouchedChainVerifies(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            try await populate(env)
            let result = try await Administration.verifyAudit(on: env.app, expectedHead: nil)
            #expect(result.problem == nil)
            #expect(result.rowsChecked >= 5)
            let again = try await Administration.verifyAudit(on: env.app, expectedHead: result.headHash)
            #expect(again.problem == nil)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theDatabaseRefusesUpdatesAndDeletes(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            try await populate(env)
            await #expect(throws: (any Error).self) {
                try await env.sql.raw("UPDATE audit_entries SET outcome = 'success' WHERE sequence = 2").run()
            }
            await #expect(throws: (any Error).self) {
                try await env.sql.raw("DELETE FROM audit_entries WHERE sequence = 2").run()
            }
            #expect(try await Administration.verifyAudit(on: env.app, expectedHead: nil).problem == nil)
        }
    }

    /// Someone with direct database access removes the guard, then edits history.
    func removeGuard(_ env: TestEnvironment) async throws {
        for statement in AuditLogGuard.remove(dialect: env.sql.dialect.name) {
            try await env.sql.raw(SQLQueryString(statement)).run()
        }
    }

    @Test(arguments: TestDatabase.available)
    func anAlteredRowIsReported(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            try await populate(env)
            try await removeGuard(env)
            try await env.sql.raw("UPDATE audit_entries SET detail = 'nothing to see' WHERE sequence = 3").run()
            let result = try await Administration.verifyAudit(on: env.app, expectedHead: nil)
            #expect(result.problem?.contains("row 3 was altered") == true, "\(result.problem ?? "no problem found")")
        }
    }

    @Test(arguments: TestDatabase.available)
    func aDeletedRowIsReported(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            try await populate(env)
            try await removeGuard(env)
            try await env.sql.raw("DELETE FROM audit_entries WHERE sequence = 2").run()
            let result = try await Administration.verifyAudit(on: env.app, expectedHead: nil)
            #expect(result.problem?.contains("between row 1 and row 3") == true, "\(result.problem ?? "no problem found")")
        }
    }

    @Test(arguments: TestDatabase.available)
    func rowsCutFromTheEndAreCaughtByTheRecordedHead(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            try await populate(env)
            let head = try await Administration.verifyAudit(on: env.app, expectedHead: nil).headHash
            try await removeGuard(env)
            let last = try #require(try await AuditEntry.query(on: env.db).sort(\.$sequence, .descending).first())
            try await env.sql.raw("DELETE FROM audit_entries WHERE sequence = \(bind: last.sequence)").run()
            let result = try await Administration.verifyAudit(on: env.app, expectedHead: head)
            #expect(result.problem?.contains("removed from the end") == true)
        }
    }

    @Test(arguments: TestDatabase.available)
    func concurrentAppendsKeepOneUnbrokenChain(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let log = env.app.lantern.audit
            let now = env.clock.now()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<40 {
                    group.addTask {
                        try await log.append(on: env.db, actor: .system, action: .update, entity: .test,
                                             entityID: String(i), requestID: nil, at: now)
                    }
                }
                try await group.waitForAll()
            }
            let result = try await Administration.verifyAudit(on: env.app, expectedHead: nil)
            #expect(result.problem == nil)
            #expect(try await AuditEntry.query(on: env.db).filter(\.$entityType == "Test").count() == 40)
        }
    }

    @Test(arguments: TestDatabase.available)
    func auditorsBrowseAndFilterButCannotChange(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            try await populate(env)
            let browser = try env.browser()
            try await browser.signIn(as: .auditor)
            let page = try await browser.get("/audit?action=sign_in_failed")
            #expect(page.status == .ok)
            // Plain words, and records by name rather than id.
            #expect(page.body.string.contains("<td>Sign-in failed</td>"))
            #expect(!page.body.string.contains("<td>Signed out</td>") && !page.body.string.contains("sign_in_failed</td>"))
            let teams = try await browser.get("/audit?entityType=Team").body.string
            let team = try #require(try await Team.query(on: env.db).filter(\.$name == "Housing Options").first())
            #expect(teams.contains("<td>Team Housing Options</td>") && !teams.contains(team.id!.uuidString))
            let bad = try await browser.get("/audit?from=31/12/2026")
            #expect(bad.body.string.contains("Enter the &#39;from&#39; date as YYYY-MM-DD"))
            let verify = try await browser.get("/audit/verify")
            #expect(verify.body.string.contains("Chain intact"))
            // No route accepts a change to the log.
            let routes = env.app.routes.all.filter { $0.method != .GET && $0.path.first?.description == "audit" }
            #expect(routes.isEmpty)
        }
    }
}
