import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import SQLiteKit
import SQLKit
import Vapor

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
    private let idle = NIOLockedValueBox<[KeptConnection]>([])
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
        let connection = try idle.withLockedValue { $0.popLast() } ?? KeptConnection(path: path, writable: false)
        defer { give(back: connection) }
        try connection.run(text, values, decoder: decoder, counting: counts, onRow)
    }

    private func give(back connection: KeptConnection) {
        let surplus: KeptConnection? = idle.withLockedValue {
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

/// What SQLite said when a statement on a kept connection failed, with its result code.
struct SQLiteConnectionError: Error, CustomStringConvertible {
    let code: Int32
    let message: String
    var description: String { "SQLite error \(code): \(message)" }
}

/// A row read by `SQLiteReads`, decoded as SQLiteKit decodes its own.
struct ReadRow: SQLRow {
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
        if let direct = DirectValues.read(values[offset], as: D.self) { return direct }
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
