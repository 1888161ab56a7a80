import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import SQLiteKit
import SQLKit
import Vapor
import LanternSQLiteSettings
import VaporCSQLite

/// Reads for the busiest pages on an SQLite file, answered on the calling thread by connections
/// that keep their prepared statements.
///
/// SQLiteNIO prepares every statement anew and sends each one, and each row it returns, across
/// threads: on the home page that was a third of the CPU (docs/performance.md). These
/// connections are opened with `query_only`, so nothing written through them can change the
/// database; writes, transactions and long reports stay on Fluent's connection. The busiest
/// statements are small and indexed, and WAL mode never makes a reader wait for a writer, so
/// running them where they are asked costs microseconds of that thread.
final class SQLiteReads: Sendable {
    private let path: String
    private let idle = NIOLockedValueBox<[ReadConnection]>([])
    /// Connections kept open between reads; more may be open at once under load, briefly.
    private let kept: Int
    private let encoder = SQLiteDataEncoder()
    private let decoder = SQLiteDataDecoder()
    /// Statements prepared, and prepared again by SQLite: a statement asked again is taken from
    /// its connection's cache, and its plan is kept whatever is bound (tests read these).
    let counts = NIOLockedValueBox(Counts())
    struct Counts: Sendable { var prepared = 0; var reprepared = 0 }

    init(path: String, kept: Int = 8) {
        self.path = path
        self.kept = kept
    }

    /// A database for SQLKit that runs its statements through these connections.
    func database(logger: Logger, on eventLoop: any EventLoop) -> any SQLDatabase {
        SQLiteReadDatabase(reads: self, logger: logger, eventLoop: eventLoop)
    }

    /// Runs one statement, handing each row to `onRow` as it is read.
    func run(_ text: String, _ binds: [any Encodable & Sendable], _ onRow: (any SQLRow) -> Void) throws {
        let values = try binds.map { try encoder.encode($0) }
        let connection = try idle.withLockedValue { $0.popLast() } ?? ReadConnection(path: path)
        defer { give(back: connection) }
        try connection.run(text, values, decoder: decoder, counting: counts, onRow)
    }

    private func give(back connection: ReadConnection) {
        let surplus: ReadConnection? = idle.withLockedValue {
            guard $0.count < kept else { return connection }
            $0.append(connection)
            return nil
        }
        surplus?.close()
    }
}

extension Request {
    /// The database for a page's reads outside a transaction: `SQLiteReads` on an SQLite file,
    /// else the request's own. Never for reads that must see the request's own uncommitted writes.
    var reads: any SQLDatabase {
        application.lantern.reads?.database(logger: logger, on: eventLoop) ?? db as! any SQLDatabase
    }
}

/// One read-only connection and its prepared statements. Used by one thread at a time: it is
/// out of the pool while in use.
private final class ReadConnection: @unchecked Sendable {
    private var handle: OpaquePointer?
    private var statements: [String: Statement] = [:]

    struct Statement {
        let handle: OpaquePointer
        let columns: ReadRow.Columns
    }

    init(path: String) throws {
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let opened = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard opened == SQLITE_OK else {
            sqlite_nio_sqlite3_close(handle)
            handle = nil
            throw SQLiteReadError(code: opened, message: "could not open \(path) for reading")
        }
        // Nothing is written through these connections; the security pragmas match Fluent's
        // connections (DatabaseSetup.prepare). A reader waits for a lock only while a WAL file is
        // being recovered, so the wait is short.
        for pragma in ["PRAGMA query_only = ON", "PRAGMA trusted_schema = OFF", "PRAGMA busy_timeout = 2000",
                       "PRAGMA cache_size = -16384"] {
            try check(sqlite_nio_sqlite3_exec(handle, pragma, nil, nil, nil))
        }
        // Plans made once, whatever values are bound later: else binding a new value makes
        // SQLite prepare many of these statements again on every run.
        guard lantern_sqlite_keep_plans(UnsafeMutableRawPointer(handle)) == 0 else {
            throw SQLiteReadError(code: SQLITE_ERROR, message: "could not keep query plans stable")
        }
    }

    func run(_ text: String, _ binds: [SQLiteData], decoder: SQLiteDataDecoder, counting counts: NIOLockedValueBox<SQLiteReads.Counts>,
             _ onRow: (any SQLRow) -> Void) throws {
        let statement = try statement(text, counting: counts)
        let stmt = statement.handle
        defer {
            sqlite_nio_sqlite3_reset(stmt)
            sqlite_nio_sqlite3_clear_bindings(stmt)
        }
        for (offset, value) in binds.enumerated() {
            try check(bind(value, at: Int32(offset + 1), to: stmt))
        }
        let count = Int32(statement.columns.names.count)
        while true {
            let stepped = sqlite_nio_sqlite3_step(stmt)
            if stepped == SQLITE_DONE {
                let again = Int(sqlite_nio_sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_REPREPARE, 1))
                if again > 0 { counts.withLockedValue { $0.reprepared += again } }
                return
            }
            guard stepped == SQLITE_ROW else { throw error(stepped) }
            var values: [SQLiteData] = []
            values.reserveCapacity(Int(count))
            for column in 0..<count { values.append(value(at: column, of: stmt)) }
            onRow(ReadRow(columns: statement.columns, values: values, decoder: decoder))
        }
    }

    private func statement(_ text: String, counting counts: NIOLockedValueBox<SQLiteReads.Counts>) throws -> Statement {
        if let cached = statements[text] { return cached }
        var stmt: OpaquePointer?
        try check(sqlite_nio_sqlite3_prepare_v3(handle, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil))
        guard let stmt else { throw SQLiteReadError(code: SQLITE_MISUSE, message: "an empty statement cannot be run") }
        var names: [String] = []
        for column in 0..<sqlite_nio_sqlite3_column_count(stmt) {
            names.append(sqlite_nio_sqlite3_column_name(stmt, column).map { String(cString: $0) } ?? "")
        }
        let statement = Statement(handle: stmt, columns: ReadRow.Columns(names: names))
        statements[text] = statement
        counts.withLockedValue { $0.prepared += 1 }
        return statement
    }

    private func bind(_ value: SQLiteData, at index: Int32, to stmt: OpaquePointer) -> Int32 {
        switch value {
        case .integer(let integer): sqlite_nio_sqlite3_bind_int64(stmt, index, Int64(integer))
        case .float(let double): sqlite_nio_sqlite3_bind_double(stmt, index, double)
        case .null: sqlite_nio_sqlite3_bind_null(stmt, index)
        case .text(let text):
            sqlite_nio_sqlite3_bind_text64(stmt, index, text, UInt64(text.utf8.count), Self.transient, UInt8(SQLITE_UTF8))
        case .blob(let buffer):
            buffer.withUnsafeReadableBytes {
                sqlite_nio_sqlite3_bind_blob64(stmt, index, $0.baseAddress, UInt64($0.count), Self.transient)
            }
        }
    }

    private func value(at column: Int32, of stmt: OpaquePointer) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(stmt, column) {
        case SQLITE_INTEGER: return .integer(SQLiteInt64(sqlite_nio_sqlite3_column_int64(stmt, column)))
        case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(stmt, column))
        case SQLITE_TEXT:
            let count = Int(sqlite_nio_sqlite3_column_bytes(stmt, column))
            guard let bytes = sqlite_nio_sqlite3_column_text(stmt, column) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(stmt, column))
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            if let bytes = sqlite_nio_sqlite3_column_blob(stmt, column) {
                buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: count))
            }
            return .blob(buffer)
        default: return .null
        }
    }

    /// SQLite copies bound text and blobs before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else { throw error(code) }
    }

    private func error(_ code: Int32) -> SQLiteReadError {
        SQLiteReadError(code: code, message: sqlite_nio_sqlite3_errmsg(handle).map { String(cString: $0) } ?? "unknown")
    }

    func close() {
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement.handle) }
        statements.removeAll()
        sqlite_nio_sqlite3_close_v2(handle)
        handle = nil
    }

    deinit { if handle != nil { close() } }
}

/// What SQLite said when a read failed, with its result code.
struct SQLiteReadError: Error, CustomStringConvertible {
    let code: Int32
    let message: String
    var description: String { "SQLite error \(code): \(message)" }
}

/// A row read by `SQLiteReads`, decoded as SQLiteKit decodes its own.
private struct ReadRow: SQLRow {
    /// A statement's column names and where each is, built once when it is prepared.
    final class Columns: Sendable {
        let names: [String]
        let offsets: [String: Int]
        init(names: [String]) {
            self.names = names
            // The first of two columns with one name wins, as in SQLiteNIO.
            offsets = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    let columns: Columns
    let values: [SQLiteData]
    let decoder: SQLiteDataDecoder

    var allColumns: [String] { columns.names }
    func contains(column: String) -> Bool { columns.offsets[column] != nil }
    func decodeNil(column: String) throws -> Bool {
        columns.offsets[column].map { values[$0] == .null } ?? true
    }
    func decode<D: Decodable>(column: String, as: D.Type) throws -> D {
        guard let offset = columns.offsets[column] else {
            throw DecodingError.keyNotFound(SQLiteReadColumn(column), .init(codingPath: [], debugDescription: "No column \(column)"))
        }
        return try decoder.decode(D.self, from: values[offset])
    }
}

private struct SQLiteReadColumn: CodingKey {
    let stringValue: String
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
}

/// SQLKit's view of `SQLiteReads`: statements are written in SQLite's dialect and run at once.
private struct SQLiteReadDatabase: SQLDatabase {
    let reads: SQLiteReads
    let logger: Logger
    let eventLoop: any EventLoop
    var version: (any SQLDatabaseReportedVersion)? { nil }
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { nil }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        do {
            try run(query, onRow)
            return eventLoop.makeSucceededVoidFuture()
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try run(query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    private func run(_ query: any SQLExpression, _ onRow: (any SQLRow) -> Void) throws {
        var serializer = SQLSerializer(database: self)
        query.serialize(to: &serializer)
        try reads.run(serializer.sql, serializer.binds, onRow)
    }
}
