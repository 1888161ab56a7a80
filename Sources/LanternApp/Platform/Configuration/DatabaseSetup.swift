import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import LanternCore
import NIOConcurrencyHelpers
import Vapor

/// The one place that knows which database engines exist. Everything else speaks Fluent
/// or portable SQL through `SQLDatabase`.
enum DatabaseSetup {
    static func use(_ database: LanternConfiguration.Database, clock: LanternClock, on app: Application) throws {
        switch database {
        case .sqliteMemory:
            app.databases.use(WriteLockedSQLite(.sqlite(.memory, connectionPoolTimeout: .seconds(30))), as: .sqlite)
        case .sqliteFile(let path):
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { try PrivateFiles.folder(folder) }
            try PrivateFiles.file(path)
            app.databases.use(WriteLockedSQLite(.sqlite(.file(path), maxConnectionsPerEventLoop: 1, connectionPoolTimeout: .seconds(30))), as: .sqlite)
        case .postgres(let url, let searchPath):
            var config = try SQLPostgresConfiguration(url: url)
            if let searchPath { config.searchPath = [searchPath] }
            app.databases.use(.postgres(configuration: config, maxConnectionsPerEventLoop: 4, connectionPoolTimeout: .seconds(30)), as: .psql)
        }
        app.databases.middleware.use(ClockStampMiddleware(clock: clock))
    }

    /// Pragmas the security practice asks of SQLite (`shared/docs/domain/security.md` §2):
    /// overwrite deleted content, reclaim pages, distrust schema-defined functions.
    /// SQLite pragmas are per connection, and Fluent keeps one connection per event loop,
    /// so each loop's connection is prepared.
    static func prepare(_ app: Application, _ database: LanternConfiguration.Database) async throws {
        if case .postgres(_, let searchPath?) = database {
            try await prepare(app.db, schema: searchPath)
            return
        }
        for eventLoop in app.eventLoopGroup.makeIterator() {
            let db = app.databases.database(logger: app.logger, on: eventLoop)!
            try await prepare(db)
        }
    }

    static func prepare(_ db: any Database, schema: String? = nil) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        if sql.dialect.name == "postgresql" {
            if let schema { try await sql.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run() }
            // Trigram indexes make "name contains" searches use an index. pg_trgm is a trusted
            // extension (PostgreSQL 13+); where it cannot be installed, searches scan instead.
            // It goes in `public` so that per-schema test databases share one copy.
            _ = try? await sql.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public").run()
            return
        }
        if sql.dialect.name == "sqlite" {
            try await sql.raw("PRAGMA auto_vacuum = FULL").run()
            try await sql.raw("PRAGMA secure_delete = ON").run()
            try await sql.raw("PRAGMA trusted_schema = OFF").run()
            try await sql.raw("PRAGMA foreign_keys = ON").run()
            try await sql.raw("PRAGMA journal_mode = WAL").run()
            try await sql.raw("PRAGMA busy_timeout = 5000").run()
            // A 64 MB page cache per connection, so lists and counts over 100,000 contracts stay
            // in memory instead of being copied in from the file on every query.
            try await sql.raw("PRAGMA cache_size = -65536").run()
        }
    }

    /// After a bulk load: fresh planner statistics on both engines, and on PostgreSQL a vacuum,
    /// so counts can be answered from indexes alone (the visibility map is empty until then).
    static func afterBulkLoad(_ db: any Database, tables: [String]) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        for table in tables {
            if sql.dialect.name == "postgresql" {
                try await sql.raw("VACUUM (ANALYZE) \(ident: table)").run()
            } else {
                try await sql.raw("ANALYZE \(ident: table)").run()
            }
        }
    }

    /// An index for `column LIKE '%text%'`: a trigram GIN index on PostgreSQL when pg_trgm is
    /// installed. SQLite has no such index; there the covering b-tree index keeps the scan cheap.
    static func createSubstringIndex(_ database: any Database, name: String, table: String, column: String) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        let installed = try await sql.raw("SELECT 1 AS present FROM pg_extension WHERE extname = 'pg_trgm'").all()
        guard !installed.isEmpty else { return }
        try await sql.raw("CREATE INDEX \(ident: name) ON \(ident: table) USING gin (\(ident: column) public.gin_trgm_ops)").run()
    }

    /// Applies pending migrations, once however many instances start together: on PostgreSQL the
    /// first to take an advisory lock migrates while the others wait, then find nothing to do.
    static func migrateOnce(_ app: Application) async throws {
        // Fluent logs each migration at info; they are shown only when the log level asks for
        // debug, so start-up prints what a person needs (the demo's sign-in details) and not 50 lines.
        let level = app.logger.logLevel
        if level > .debug { app.logger.logLevel = max(level, .notice) }
        defer { app.logger.logLevel = level }
        guard !isSQLite(app.db) else { return try await app.autoMigrate() }
        try await app.db.transaction { db in
            try await (db as! any SQLDatabase).raw("SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || ':migrations', 0))").run()
            try await app.autoMigrate()
        }
    }

    static func isSQLite(_ db: any Database) -> Bool {
        (db as? any SQLDatabase)?.dialect.name == "sqlite"
    }
}

extension Database {
    /// A transaction for work that reads and then writes (the audit chain's next row, a unique
    /// reference). On SQLite it takes the write lock at the start (`BEGIN IMMEDIATE`), so it
    /// cannot fail with SQLITE_BUSY_SNAPSHOT when another connection commits between its read and
    /// its write; and write transactions in this process queue on one lock first, so they wait
    /// their turn instead of in SQLite's busy handler, whose sleeps grow to 100 ms.
    /// PostgreSQL's ordinary transaction already behaves so. Nested calls join the open one.
    /// Inside a write transaction, makes other writers that name the same `key` wait until it
    /// ends. PostgreSQL takes a transaction-scoped advisory lock; SQLite's write transactions are
    /// already one at a time.
    func lockUntilCommit(_ key: String) async throws {
        guard !DatabaseSetup.isSQLite(self), let sql = self as? any SQLDatabase else { return }
        // Keyed by schema too: advisory locks span the whole database, and each schema is its own Lantern.
        try await sql.raw("SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || ':' || \(bind: key), 0))").run()
    }

    func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        if inTransaction || WriteTransaction.isOpen { return try await body(self) }
        guard DatabaseSetup.isSQLite(self) else { return try await transaction(body) }
        if WriteTransaction.holdsLock { return try await immediateTransaction(body) }
        return try await WriteTransaction.lock(for: self).run {
            try await WriteTransaction.$holdsLock.withValue(true) { try await immediateTransaction(body) }
        }
    }

    private func immediateTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await withConnection { connection in
            let sql = connection as! any SQLDatabase
            try await sql.raw("BEGIN IMMEDIATE").run()
            do {
                let result = try await WriteTransaction.$isOpen.withValue(true) { try await body(connection) }
                try await sql.raw("COMMIT").run()
                return result
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }
}

/// The state of write transactions in the current task, and the one lock they queue on.
enum WriteTransaction {
    /// Inside a `writeTransaction`: nested calls (an audit row written as part of a larger change) join it.
    @TaskLocal static var isOpen = false
    /// Holding `lock` (the audit log takes it around its own transaction).
    @TaskLocal static var holdsLock = false
    private static let locks = NIOLockedValueBox<[String: AsyncSerialLock]>([:])

    /// Write transactions and audit appends on one SQLite database, one at a time. One lock per
    /// database file: a process that holds several (the tests) does not queue one behind another.
    static func lock(for db: any Database) -> AsyncSerialLock {
        if let configured = db.context.configuration as? WriteLockedSQLite { return configured.writeLock }
        return lock(named: String(describing: db.context.configuration))
    }

    static func lock(named key: String) -> AsyncSerialLock {
        locks.withLockedValue { locks in
            if let lock = locks[key] { return lock }
            let lock = AsyncSerialLock()
            locks[key] = lock
            return lock
        }
    }
}

/// An SQLite configuration that carries its database's write lock, found once when the database
/// is configured: naming the configuration on every write (`String(describing:)`, which walks
/// it by reflection) cost 3% of the home page's time, in its audit append.
struct WriteLockedSQLite: DatabaseConfiguration {
    var base: any DatabaseConfiguration
    let writeLock: AsyncSerialLock

    init(_ factory: DatabaseConfigurationFactory) {
        base = factory.make()
        writeLock = WriteTransaction.lock(named: String(describing: base))
    }

    var middleware: [any AnyModelMiddleware] {
        get { base.middleware }
        set { base.middleware = newValue }
    }

    func makeDriver(for databases: Databases) -> any DatabaseDriver { base.makeDriver(for: databases) }
}
