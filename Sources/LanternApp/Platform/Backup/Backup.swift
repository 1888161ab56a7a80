import Fluent
import Foundation
import SQLKit
import Vapor

/// `lantern backup` and `lantern restore`: a consistent copy taken while instances serve, and
/// a restore that proves the copy (the key opens it, the audit chain verifies) before it
/// replaces anything. Evidence files are inside the database, so one copy holds everything.
/// The data-protection key is not in the copy: it is kept, and backed up, apart from it
/// (`shared/docs/domain/security.md` §2).
public enum Backup {
    public struct Summary: Sendable {
        public let tables: Int
        public let rows: Int
        public let evidenceFiles: Int
        public let auditRows: Int
        public let auditHead: Int64
        public let auditHeadHash: String
        public let auditProblem: String?

        public var text: String {
            "\(tables) tables, \(rows) rows, \(evidenceFiles) evidence files; audit log of \(auditRows) rows, head row \(auditHead) hash \(auditHeadHash)"
        }
    }

    /// Writes a copy of a SQLite database to `path` with `VACUUM INTO`: it reads one consistent
    /// snapshot (a read transaction, which in WAL mode never blocks writers) and writes a
    /// compact file. The file is readable by its owner only.
    public static func copySQLite(on app: Application, to path: String) async throws {
        guard DatabaseSetup.isSQLite(app.db), let sql = app.db as? any SQLDatabase else {
            throw Administration.Problem.refused("this database is PostgreSQL: back it up with pg_dump")
        }
        guard !FileManager.default.fileExists(atPath: path) else {
            throw Administration.Problem.refused("\(path) already exists; choose a new file")
        }
        // The copy holds sealed records but also clear ones (names of suppliers, audit rows).
        let previous = umask(0o077)
        defer { umask(previous) }
        try await sql.raw("VACUUM INTO \(bind: path)").run()
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }

    /// What the database holds, and whether its audit chain verifies (against no recorded
    /// heads: those belong to the live database, which may have moved on since the copy).
    public static func summary(on app: Application) async throws -> Summary {
        let sql = app.db as! any SQLDatabase
        let tables: [String]
        if DatabaseSetup.isSQLite(app.db) {
            tables = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all()
                .map { try $0.decode(column: "name", as: String.self) }
        } else {
            tables = try await sql.raw("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name").all()
                .map { try $0.decode(column: "name", as: String.self) }
        }
        var rows = 0
        for table in tables {
            rows += try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self) ?? 0
        }
        let audit = try await app.lantern.audit.verify(on: app.db, expectedHead: nil, recordedHeads: [])
        return Summary(tables: tables.count, rows: rows, evidenceFiles: try await EvidenceFile.query(on: app.db).count(),
                       auditRows: audit.rowsChecked, auditHead: audit.headSequence, auditHeadHash: audit.headHash, auditProblem: audit.firstBreak?.description)
    }
}

extension Backup {
    /// Runs `body` on a PostgreSQL database without configuring Lantern on it (no migrations),
    /// to look before a restore writes anything.
    public static func withBareConnection<T: Sendable>(postgres url: String, _ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let app = try await Application.make(.production)
        do {
            try DatabaseSetup.use(.postgres(url: url), clock: .system, on: app)
            let result = try await body(app.db as! any SQLDatabase)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    public static func hasTables(_ sql: any SQLDatabase) async throws -> Bool {
        let row = try await sql.raw("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema()").first()
        return try (row?.decode(column: "n", as: Int.self) ?? 0) > 0
    }

    /// After a restore that failed its checks, takes out what it put in: the database was
    /// empty before, so nothing else is lost.
    public static func emptySchema(_ sql: any SQLDatabase) async throws {
        let tables = try await sql.raw("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'").all()
            .map { try $0.decode(column: "name", as: String.self) }
        for table in tables { try await sql.raw("DROP TABLE IF EXISTS \(ident: table) CASCADE").run() }
        // The audit log's guard is a function in the schema; a later restore would trip over it.
        let functions = try await sql.raw("""
            SELECT p.proname AS name, pg_get_function_identity_arguments(p.oid) AS args FROM pg_proc p
            JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema() AND p.prokind = 'f'
            AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
            """).all().map { (try $0.decode(column: "name", as: String.self), try $0.decode(column: "args", as: String.self)) }
        for (name, args) in functions { try await sql.raw("DROP FUNCTION IF EXISTS \(ident: name)(\(unsafeRaw: args)) CASCADE").run() }
    }
}
