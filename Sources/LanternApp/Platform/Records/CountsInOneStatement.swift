import Foundation
import SQLKit

/// Several counts asked in one statement, each a scalar subquery: a home page's figures cost
/// one round trip to the database, not one each.
struct CountsInOneStatement {
    private var columns: [(name: String, subquery: SQLSubquery)] = []

    /// Counts the rows of `table` that `filter` keeps, answered under `name`.
    mutating func add(_ name: String, from table: String, _ filter: (SQLSubqueryBuilder) -> SQLSubqueryBuilder = { $0 }) {
        let builder = SQLSubqueryBuilder()
        _ = filter(builder.column(SQLFunction("COUNT", args: SQLLiteral.all)).from(table))
        columns.append((name, builder.query))
    }

    func run(on sql: any SQLDatabase) async throws -> [String: Int] {
        guard !columns.isEmpty else { return [:] }
        var select = sql.select()
        for column in columns { select = select.column(column.subquery, as: column.name) }
        guard let row = try await select.first() else { return [:] }
        var counts: [String: Int] = [:]
        for column in columns { counts[column.name] = try row.decode(column: column.name, as: Int.self) }
        return counts
    }
}
