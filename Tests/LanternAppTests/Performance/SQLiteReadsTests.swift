import Fluent
import Foundation
import LanternCore
import NIOConcurrencyHelpers
import SQLiteKit
import SQLKit
import Testing
import VaporTesting
@testable import LanternApp

/// On an SQLite file the busiest pages read through `SQLiteReads`: connections that keep their
/// prepared statements and cannot write.
@Suite("Reads on an SQLite file")
struct SQLiteReadsTests {
    /// An SQLite file (the tests' default database is in memory, where there are no read connections).
    static func onAFile(_ configuration: inout LanternConfiguration) {
        configuration.database = .sqliteFile(path: NSTemporaryDirectory() + "lantern-reads-" + UUID().uuidString + "/lantern.sqlite")
    }

    @Test
    func theBusiestPagesKeepTheirStatementsPreparedAndTheirPlans() async throws {
        try await withLantern(.sqlite, adjusting: Self.onAFile) { env in
            let reads = try #require(env.app.lantern.reads)
            let browser = try env.browser()
            try await browser.signIn(as: .caseworker)
            let opened = try await CasesTests.openCase(browser, env, CasesTests.person("Amina", "Reads", age: "adult"))
            let path = "/cases/\(opened.id!.uuidString)"
            #expect(try await browser.post(path + "/tasks", ["title": "Call back", "due_on": Day(env.clock.now()).adding(days: 2).iso]).status == .seeOther)
            let pages = ["/home", "/cases", "/cases?show=mine", path]
            for page in pages { #expect(try await browser.get(page).status == .ok, "\(page)") }
            let first = reads.counts.withLockedValue { $0 }
            #expect(first.prepared > 0)
            // Again, a day later (other dates bound): every statement is taken from the cache, and
            // none is prepared again by SQLite for its new values.
            env.clock.advance(by: 86_400)
            try await browser.signIn(as: .caseworker)
            for page in pages {
                let body = try await browser.get(page).body.string
                #expect(body.contains("Amina Reads") || page == "/home", "\(page)")
            }
            let second = reads.counts.withLockedValue { $0 }
            #expect(second.prepared == first.prepared)
            #expect(second.reprepared == 0)
            #expect(try await browser.get("/cases?q=Amina").body.string.contains("Amina Reads"))
            #expect(try await browser.get("/cases?q=Nobody").body.string.contains("No cases to show."))
            #expect(reads.counts.withLockedValue { $0.reprepared } == 0)
        }
    }

    @Test
    func aReadConnectionCannotWrite() async throws {
        try await withLantern(.sqlite, adjusting: Self.onAFile) { env in
            let sql = try #require(env.app.lantern.reads).database(logger: env.app.logger, on: env.app.eventLoopGroup.any())
            for statement: SQLQueryString in ["DELETE FROM audit_entries", "UPDATE users SET role = 'administrator'",
                                             "INSERT INTO teams (id, name) VALUES ('x', 'y')", "DROP TABLE cases"] {
                await #expect(throws: SQLiteConnectionError.self) { try await sql.raw(statement).run() }
            }
            // The connection is still usable after a refusal.
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM users").first()?.decode(column: "n", as: Int.self) ?? 0 > 0)
        }
    }

    @Test
    func whatWasJustWrittenIsReadBackExactly() async throws {
        try await withLantern(.sqlite, adjusting: Self.onAFile) { env in
            let sql = try #require(env.app.lantern.reads).database(logger: env.app.logger, on: env.app.eventLoopGroup.any())
            let team = Team(name: "Reads team \u{1F3E0} & <co>")
            try await team.create(on: env.db)
            let read = try #require(try await Team.rows([.equals("id", team.id!)], on: sql).first)
            #expect(read.name == team.name)
            // Every user reads the same, field by field, through both paths.
            let viaFluent = try await User.rows([], orderBy: ["email"], on: env.db)
            let viaReads = try await User.rows([], orderBy: ["email"], on: sql)
            #expect(viaFluent.count == viaReads.count && !viaReads.isEmpty)
            for (a, b) in zip(viaFluent, viaReads) {
                #expect(a.id == b.id && a.email == b.email && a.role == b.role && a.isActive == b.isActive)
                #expect(a.passwordHash == b.passwordHash && a.$team.id == b.$team.id && a.createdAt == b.createdAt && a.lastSignInAt == b.lastSignInAt)
            }
            // A blob, a null, a real and an integer.
            let row = try #require(try await sql.raw("SELECT x'00ff10' AS b, NULL AS n, 1.5 AS r, 42 AS i").first())
            #expect(try row.decode(column: "b", as: Data.self) == Data([0, 255, 16]))
            #expect(try row.decodeNil(column: "n"))
            #expect(try row.decode(column: "r", as: Double.self) == 1.5 && row.decode(column: "i", as: Int.self) == 42)
            #expect(throws: (any Error).self) { try row.decode(column: "missing", as: Int.self) }
            // A mistake in a statement is reported with SQLite's message.
            await #expect { try await sql.raw("SELECT missing FROM nowhere").run() } throws: { error in
                "\(error)".contains("no such table: nowhere")
            }
        }
    }

    @Test
    func statementsThatDifferOnlyByALiteralDoNotPileUp() throws {
        let folder = NSTemporaryDirectory() + "lantern-kept-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // An empty file is an empty database; these connections never create one.
        FileManager.default.createFile(atPath: folder + "/kept.sqlite", contents: Data())
        let connection = try KeptConnection(path: folder + "/kept.sqlite", writable: false)
        defer { connection.close() }
        let counts = NIOLockedValueBox(SQLiteReads.Counts())
        // As a list's pages do, each with its own OFFSET: a new text every time.
        for page in 0..<(KeptConnection.keptStatements * 2 + 10) {
            var value = 0
            try connection.run("SELECT \(page) AS n", [], decoder: SQLiteDataDecoder(), counting: counts) {
                value = (try? $0.decode(column: "n", as: Int.self)) ?? -1
            }
            #expect(value == page)
            #expect(connection.keptCount <= KeptConnection.keptStatements)
        }
    }

    @Test
    func manyReadsAtOnceShareAFewConnections() async throws {
        try await withLantern(.sqlite, adjusting: Self.onAFile) { env in
            let reads = try #require(env.app.lantern.reads)
            let sql = reads.database(logger: env.app.logger, on: env.app.eventLoopGroup.any())
            let expected = try await User.query(on: env.db).count()
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<200 {
                    group.addTask { try await sql.raw("SELECT COUNT(*) AS n FROM users").first()!.decode(column: "n", as: Int.self) }
                }
                for try await count in group { #expect(count == expected) }
            }
            #expect(reads.counts.withLockedValue { $0.reprepared } == 0)
        }
    }

    @Test
    func noReadConnectionsInMemoryOrWhenTurnedOff() async throws {
        try await withLantern(.sqlite) { env in #expect(env.app.lantern.reads == nil) }
        try await withLantern(.sqlite, adjusting: { Self.onAFile(&$0); $0.sqliteReadConnections = 0 }) { env in
            #expect(env.app.lantern.reads == nil)
            let browser = try env.browser()
            try await browser.signIn(as: .caseworker)
            #expect(try await browser.get("/home").status == .ok)
        }
    }
}
