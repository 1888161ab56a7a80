import Foundation
import SQLKit

/// Several counts asked in one statement, each a scalar subquery: a home page's figures cost
/// one round trip to the database, not one each. The statement is written as text with binds
/// rather than built: these are the busiest pages, and building SQL with SQLKit (quoting each
/// identifier) cost more than SQLite's work on them.
struct CountsInOneStatement {
    private var columns: [(name: String, query: SQLQueryString)] = []

    /// Counts the rows of `table` that meet every condition (SQL text with binds, such as
    /// `"status = \(bind: "open")"`), answered under `name`. Table and names are the schema's
    /// own, never input.
    /// With `atMost`, counting stops there: the answer is `atMost` when there are that many or more.
    mutating func add(_ name: String, from table: String, where conditions: [SQLQueryString] = [], atMost: Int? = nil) {
        var rows: SQLQueryString = atMost == nil ? "SELECT COUNT(*) FROM \(unsafeRaw: table)" : "SELECT 1 FROM \(unsafeRaw: table)"
        if !conditions.isEmpty { rows += " WHERE " + conditions.joined(separator: " AND ") }
        if let atMost { rows = "SELECT COUNT(*) FROM (" + rows + " LIMIT \(literal: atMost)) AS counted" }
        columns.append((name, rows))
    }

    func run(on sql: any SQLDatabase) async throws -> [String: Int] {
        guard !columns.isEmpty else { return [:] }
        // Names are quoted: "all" and the like are keywords.
        let select = "SELECT " + columns.map { "(" + $0.query + ") AS \(unsafeRaw: "\"" + $0.name + "\"")" }.joined(separator: ", ")
        guard let row = try await sql.raw(select).first() else { return [:] }
        var counts: [String: Int] = [:]
        for column in columns { counts[column.name] = try row.decode(column: column.name, as: Int.self) }
        return counts
    }
}
