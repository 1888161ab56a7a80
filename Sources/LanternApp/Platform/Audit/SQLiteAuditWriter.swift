import Foundation
import LanternCore
import NIOConcurrencyHelpers
import NIOPosix
import SQLiteKit
import SQLKit

/// The audit log's grouped appends on an SQLite file, through a connection of the log's own that
/// keeps its statements: one trip to SQLite's thread pool for the whole transaction (begin, read
/// the chain's head, insert each row, commit), where Fluent's connection made four, each with its
/// statement prepared anew. On the busiest pages, which audit every read, that was most of what
/// was left of SQLiteNIO in the profile (docs/performance.md). The caller holds the in-process
/// write lock; `BEGIN IMMEDIATE` holds SQLite's against other processes from the head's read to
/// the commit, so no two appends can chain after the same row.
final class SQLiteAuditWriter: Sendable {
    private let path: String
    private let connection = NIOLockedValueBox<KeptConnection?>(nil)
    private let encoder = SQLiteDataEncoder()
    private let decoder = SQLiteDataDecoder()
    private let counts = NIOLockedValueBox(SQLiteReads.Counts())

    init(path: String) { self.path = path }

    private static let head = "SELECT sequence, hash FROM audit_entries ORDER BY sequence DESC LIMIT 1"
    private static let insert = "INSERT INTO audit_entries (" + AuditEntry.columnNames.joined(separator: ", ") + ") VALUES ("
        + AuditEntry.columnNames.indices.map { "?\($0 + 1)" }.joined(separator: ", ") + ")"

    /// Appends the rows `chain` makes after the current head (its sequence and hash), in one transaction.
    func append(_ chain: @escaping @Sendable (_ sequence: Int64, _ hash: String) -> [AuditEntry]) async throws -> [AuditEntry] {
        try await NIOThreadPool.singleton.runIfActive {
            try self.connection.withLockedValue { kept in
                if kept == nil { kept = try KeptConnection(path: self.path, writable: true) }
                return try self.write(on: kept!, chain)
            }
        }
    }

    private func write(on connection: KeptConnection, _ chain: (Int64, String) -> [AuditEntry]) throws -> [AuditEntry] {
        func run(_ text: String, _ binds: [SQLiteData] = [], _ onRow: (any SQLRow) -> Void = { _ in }) throws {
            try connection.run(text, binds, decoder: decoder, counting: counts, onRow)
        }
        try run("BEGIN IMMEDIATE")
        do {
            var head: (sequence: Int64, hash: String)?
            var unread: (any Error)?
            try run(Self.head) { row in
                do { head = (try row.decode(column: "sequence", as: Int64.self), try row.decode(column: "hash", as: String.self)) } catch { unread = error }
            }
            if let unread { throw unread }
            let entries = chain(head?.sequence ?? 0, head?.hash ?? AuditChain.genesis)
            for entry in entries {
                try run(Self.insert, try entry.columnValues.map { try encoder.encode($0) })
            }
            try run("COMMIT")
            return entries
        } catch {
            try? run("ROLLBACK")
            throw error
        }
    }
}
