import Fluent
import Foundation
import LanternCore
import Testing
import Vapor
@testable import LanternApp

/// Audit appends that arrive together are written in one transaction, and the chain, each
/// caller's rows and the "no read without its row" rule come through unchanged.
@Suite struct AuditGroupCommitTests {
    /// Where the log is written: through Fluent (in-memory SQLite, PostgreSQL), or through
    /// `SQLiteAuditWriter` on an SQLite file.
    enum Store: String, CustomTestStringConvertible, Sendable {
        case sqliteMemory, sqliteFile, postgres
        static var available: [Store] { [.sqliteMemory, .sqliteFile] + (TestDatabase.available.contains(.postgres) ? [.postgres] : []) }
        var testDescription: String { rawValue }

        func run(_ body: (TestEnvironment) async throws -> Void) async throws {
            if self == .sqliteFile {
                try await withLantern(.sqlite, adjusting: SQLiteReadsTests.onAFile) { env in
                    #expect(env.app.lantern.audit.writer != nil)
                    try await body(env)
                }
            } else {
                try await withLantern(self == .postgres ? .postgres : .sqlite, body)
            }
        }
    }

    @Test(arguments: Store.available)
    func appendsArrivingTogetherShareATransactionAndEachCallerGetsItsOwnRows(_ store: Store) async throws {
        try await store.run { env in
            let log = env.app.lantern.audit
            let now = env.clock.now()
            let before = log.written
            let results = try await withThrowingTaskGroup(of: (Int, [AuditEntry]).self) { group in
                for i in 0..<120 {
                    group.addTask {
                        let events = (0..<(1 + i % 3)).map {
                            AuditEvent(actor: .system, action: .read, entity: .test, entityID: "\(i)-\($0)", requestID: nil, at: now)
                        }
                        return (i, try await log.append(events, on: env.db))
                    }
                }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            // Each caller's rows are its own, in its order, consecutive in the chain.
            for (i, entries) in results {
                #expect(entries.map(\.entityID) == (0..<(1 + i % 3)).map { "\(i)-\($0)" })
                let sequences = entries.map(\.sequence)
                #expect(sequences == Array(sequences[0]..<(sequences[0] + Int64(sequences.count))))
            }
            let rows = results.values.map(\.count).reduce(0, +)
            let after = log.written
            #expect(after.rows - before.rows == rows)
            #expect(after.transactions - before.transactions < 120, "appends waiting together were grouped")
            let stored = try await AuditEntry.query(on: env.db).filter(\.$entityType == AuditEntity.test.rawValue).count()
            #expect(stored == rows)
            let verified = try await Administration.verifyAudit(on: env.app, expectedHead: nil)
            #expect(verified.problem == nil)
        }
    }

    @Test(arguments: Store.available)
    func aFailedGroupFailsEveryCallerInItAndTheNextAppendsAreWritten(_ store: Store) async throws {
        try await store.run { env in
            let log = env.app.lantern.audit
            let now = env.clock.now()
            // With the table out of reach, every caller of the group is told it failed...
            try await env.sql.raw("ALTER TABLE audit_entries RENAME TO audit_entries_away").run()
            let failures = try await withThrowingTaskGroup(of: Bool.self) { group in
                for i in 0..<20 {
                    group.addTask {
                        do {
                            try await log.append(on: env.db, actor: .system, action: .read, entity: .test, entityID: String(i), requestID: nil, at: now)
                            return false
                        } catch { return true }
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(failures == 20)
            // ...and once it is back, the queue writes again.
            try await env.sql.raw("ALTER TABLE audit_entries_away RENAME TO audit_entries").run()
            let entry = try await log.append(on: env.db, actor: .system, action: .read, entity: .test, entityID: "after", requestID: nil, at: now)
            #expect(entry.entityID == "after")
            #expect(try await Administration.verifyAudit(on: env.app, expectedHead: nil).problem == nil)
        }
    }

    @Test(arguments: Store.available)
    func twoInstancesAppendingAtOnceKeepOneChain(_ store: Store) async throws {
        guard store != .sqliteMemory else { return }  // in-memory SQLite cannot be shared by two instances
        try await store.run { env in
            let other = try await env.secondInstance()
            do {
                let now = env.clock.now()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for i in 0..<60 {
                        let app = i % 2 == 0 ? env.app : other
                        group.addTask {
                            try await app.lantern.audit.append(on: app.db, actor: .system, action: .read, entity: .test,
                                                               entityID: String(i), requestID: nil, at: now)
                        }
                    }
                    try await group.waitForAll()
                }
                #expect(try await AuditEntry.query(on: env.db).filter(\.$entityType == AuditEntity.test.rawValue).count() == 60)
                #expect(try await Administration.verifyAudit(on: env.app, expectedHead: nil).problem == nil)
            } catch {
                try? await other.asyncShutdown()
                throw error
            }
            try await other.asyncShutdown()
        }
    }
}
