import Fluent
import Foundation
import SQLKit

/// Reads a model from a row of a hand-written SQL statement, field by field. Fluent's own
/// decoding finds a model's fields by runtime reflection on every row, which the profile of the
/// busiest pages showed costing more than the queries; here each model names its fields once.
/// Values arrive as Fluent's would (as read, not as changed), so saving the model later writes
/// only what was changed after it was read.
struct RowOutput: DatabaseOutput {
    let row: any SQLRow
    /// Columns read for this model carry this prefix, so one joined row can hold several models.
    var prefix = ""

    var description: String { "\(row)" }
    func schema(_ schema: String) -> any DatabaseOutput { self }
    func contains(_ key: FieldKey) -> Bool { row.contains(column: prefix + key.description) }
    func decodeNil(_ key: FieldKey) throws -> Bool { try row.decodeNil(column: prefix + key.description) }
    func decode<T: Decodable>(_ key: FieldKey, as type: T.Type) throws -> T { try row.decode(column: prefix + key.description, as: T.self) }
}

/// A model read from a hand-written statement: its fields named once, with the column list a
/// statement selects them by.
protocol RowDecodable: Model {
    /// Every stored field, in the order `columns` lists them.
    var storedFields: [any AnyDatabaseProperty] { get }
    static var columnNames: [String] { get }
}

extension RowDecodable {
    init(row: any SQLRow, prefix: String = "") throws {
        self.init()
        let output = RowOutput(row: row, prefix: prefix)
        for field in storedFields { try field.output(from: output) }
    }

    /// The columns, as `table.column AS prefixcolumn`, for a SELECT list.
    static func selectList(table: String, prefix: String = "") -> String {
        columnNames.map { "\(table).\($0) AS \(prefix)\($0)" }.joined(separator: ", ")
    }
}
