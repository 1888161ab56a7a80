import Foundation
import LanternSQLiteSettings
import NIOConcurrencyHelpers
import NIOCore
import SQLiteKit
import SQLKit
import VaporCSQLite

/// A connection of Lantern's own to an SQLite file, through SQLiteNIO's copy of SQLite, that
/// keeps its prepared statements. Used by one thread at a time: `SQLiteReads` takes it out of
/// its pool while in use, and the audit log's writer holds the write lock.
final class KeptConnection: @unchecked Sendable {
    private var handle: OpaquePointer?
    private var statements: [String: Statement] = [:]
    /// Prepared statements kept at most.
    static let keptStatements = 256
    var keptCount: Int { statements.count }

    struct Statement {
        let handle: OpaquePointer
        let columns: ReadRow.Columns
    }

    init(path: String, writable: Bool) throws {
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let opened = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard opened == SQLITE_OK else {
            sqlite_nio_sqlite3_close(handle)
            handle = nil
            throw SQLiteConnectionError(code: opened, message: "could not open \(path)")
        }
        // The security pragmas match Fluent's connections (DatabaseSetup.prepare). A reader waits
        // for a lock only while a WAL file is being recovered, so its wait is short; a writer may
        // wait for another process's write.
        let pragmas = writable
            ? ["PRAGMA secure_delete = ON", "PRAGMA foreign_keys = ON", "PRAGMA busy_timeout = 5000"]
            : ["PRAGMA query_only = ON", "PRAGMA busy_timeout = 2000"]
        for pragma in pragmas + ["PRAGMA trusted_schema = OFF", "PRAGMA cache_size = -16384"] {
            try check(sqlite_nio_sqlite3_exec(handle, pragma, nil, nil, nil))
        }
        // Plans made once, whatever values are bound later: else binding a new value makes
        // SQLite prepare many of these statements again on every run.
        guard lantern_sqlite_keep_plans(UnsafeMutableRawPointer(handle)) == 0 else {
            throw SQLiteConnectionError(code: SQLITE_ERROR, message: "could not keep query plans stable")
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
        // Texts that differ by a literal (a page's offset, a list's length) would otherwise pile
        // up; past the bound, the cache starts again.
        if statements.count >= Self.keptStatements {
            for statement in statements.values { sqlite_nio_sqlite3_finalize(statement.handle) }
            statements.removeAll()
        }
        var stmt: OpaquePointer?
        try check(sqlite_nio_sqlite3_prepare_v3(handle, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil))
        guard let stmt else { throw SQLiteConnectionError(code: SQLITE_MISUSE, message: "an empty statement cannot be run") }
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

    private func error(_ code: Int32) -> SQLiteConnectionError {
        SQLiteConnectionError(code: code, message: sqlite_nio_sqlite3_errmsg(handle).map { String(cString: $0) } ?? "unknown")
    }

    func close() {
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement.handle) }
        statements.removeAll()
        sqlite_nio_sqlite3_close_v2(handle)
        handle = nil
    }

    deinit { if handle != nil { close() } }
}
