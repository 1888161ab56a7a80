import Fluent
import Foundation
import LanternCore
import SQLKit
import Testing
import VaporTesting
@testable import LanternApp

/// Archiving old audit rows keeps the chain verifiable, and the head recorded each day outside
/// the database catches a table that was rewritten and re-hashed (issue 17, item 10).
@Suite("Audit archive and recorded heads")
struct AuditArchiveTests {
    static func temporaryPath(_ name: String) -> String {
        (NSTemporaryDirectory() as NSString).appendingPathComponent("lantern-\(UUID().uuidString)-\(name)")
    }

    /// Rows on three days: the demo setup's, two days later, and two days after that.
    static func rowsOnThreeDays(_ env: TestEnvironment) async throws -> (Day, Day) {
        let log = env.app.lantern.audit
        env.clock.advance(by: 2 * 86_400)
        let second = Day(env.clock.now())
        for i in 0..<5 { try await log.append(on: env.db, actor: .system, action: .update, entity: .test, entityID: "a\(i)", requestID: nil, at: env.clock.now()) }
        env.clock.advance(by: 2 * 86_400)
        let third = Day(env.clock.now())
        for i in 0..<5 { try await log.append(on: env.db, actor: .system, action: .update, entity: .test, entityID: "b\(i)", requestID: nil, at: env.clock.now()) }
        return (second, third)
    }

    @Test(arguments: TestDatabase.available)
    func archivingMovesOldRowsToAFileAndTheChainStillVerifies(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let (second, third) = try await Self.rowsOnThreeDays(env)
            let before = try await AuditEntry.query(on: env.db).count()
            let firstFile = Self.temporaryPath("audit-1.jsonl"), secondFile = Self.temporaryPath("audit-2.jsonl")
            defer { try? FileManager.default.removeItem(atPath: firstFile); try? FileManager.default.removeItem(atPath: secondFile) }

            let one = try await Administration.archiveAudit(on: env.app, before: second, to: firstFile)
            #expect(one.firstSequence == 1)
            let kept = try await AuditEntry.query(on: env.db).count()
            #expect(kept == before - Int(one.throughSequence) + 1, "the archived rows left the table; the archive itself is a new row")
            #expect(try await AuditEntry.query(on: env.db).filter(\.$sequence <= one.throughSequence).count() == 0)
            let verified = try await Administration.verifyAudit(on: env.app, expectedHead: nil)
            #expect(verified.problem == nil, "\(verified.problem ?? "")")
            #expect(verified.archivedThrough == one.throughSequence)
            let fileData = try Data(contentsOf: URL(fileURLWithPath: firstFile))
            let fileCheck = try await Administration.verifyAuditArchive(on: env.app, file: fileData)
            #expect(fileCheck.problem == nil && fileCheck.rows == Int(one.throughSequence))
            #expect(try FileManager.default.attributesOfItem(atPath: firstFile)[.posixPermissions] as? Int == 0o600)

            // A second archive continues from the first boundary.
            let two = try await Administration.archiveAudit(on: env.app, before: third, to: secondFile)
            #expect(two.firstSequence == one.throughSequence + 1)
            #expect(try await Administration.verifyAudit(on: env.app, expectedHead: nil).problem == nil)
            #expect(try await Administration.verifyAuditArchive(on: env.app, file: try Data(contentsOf: URL(fileURLWithPath: secondFile))).problem == nil)

            // An archive edited afterwards is caught.
            let edited = String(decoding: fileData, as: UTF8.self).replacingOccurrences(of: "\"outcome\":\"success\"", with: "\"outcome\":\"failure\"")
            #expect(try await Administration.verifyAuditArchive(on: env.app, file: Data(edited.utf8)).problem != nil)
            // Nothing is overwritten, and a day with nothing left to archive says so.
            await #expect(throws: Administration.Problem.self) { try await Administration.archiveAudit(on: env.app, before: third, to: firstFile) }
            await #expect(throws: Administration.Problem.self) { try await Administration.archiveAudit(on: env.app, before: second, to: Self.temporaryPath("x")) }
        }
    }

    @Test(arguments: TestDatabase.available)
    func aRewrittenAndRehashedTableFailsAgainstTheRecordedHeads(_ database: TestDatabase) async throws {
        let heads = Self.temporaryPath("audit-heads.log")
        defer { try? FileManager.default.removeItem(atPath: heads) }
        try await withLantern(database, adjusting: { $0.auditHeadsPath = heads }) { env in
            _ = try await Self.rowsOnThreeDays(env)
            let recorded = try #require(try await AuditHeads.recordIfDue(env.app))
            #expect(try await AuditHeads.recordIfDue(env.app) == nil, "once a day")
            #expect(AuditHeads.recorded(env.app) == [recorded])
            #expect(try FileManager.default.attributesOfItem(atPath: heads)[.posixPermissions] as? Int == 0o600)
            #expect(try await Administration.verifyAudit(on: env.app, expectedHead: nil).recordedHeadsChecked == 1)

            // Someone with the database rewrites a row and re-hashes every row after it.
            for statement in AuditLogGuard.remove(dialect: env.sql.dialect.name) { try await env.sql.raw(SQLQueryString(statement)).run() }
            let rows = try await AuditEntry.query(on: env.db).sort(\.$sequence).all()
            var previous = AuditChain.genesis
            for row in rows {
                var content = row.content
                if content.sequence == 3 { content.detail = "nothing to see" }
                let hash = AuditChain.hash(previous: previous, content: content)
                try await env.sql.raw("UPDATE audit_entries SET detail = \(bind: content.detail), previous_hash = \(bind: previous), hash = \(bind: hash) WHERE sequence = \(bind: content.sequence)").run()
                previous = hash
            }
            let result = try await Administration.verifyAudit(on: env.app, expectedHead: nil)
            #expect(result.problem?.contains("the head recorded on \(recorded.day)") == true, "\(result.problem ?? "no problem found")")

            // So is a table cut short of the recorded head.
            try await env.sql.raw("DELETE FROM audit_entries WHERE sequence >= \(bind: recorded.sequence)").run()
            #expect(try await Administration.verifyAudit(on: env.app, expectedHead: nil).problem?.contains("missing or no longer has its recorded hash") == true)
        }
    }
}
