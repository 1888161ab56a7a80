import Fluent
import Foundation
import FluentSQL
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

/// A condition of a fixed-text statement: a column equal to a value, or one of several.
enum RowCondition: Sendable {
    case equals(String, any Encodable & Sendable)
    case oneOf(String, [UUID])
}

extension RowDecodable {
    /// The rows that meet every condition, in `order` (columns, each optionally followed by
    /// " DESC"). The statement's text is written directly rather than built by Fluent, whose
    /// per-query reflection and identifier escaping cost more than the query on the busiest pages.
    static func rows(_ conditions: [RowCondition], orderBy order: [String] = [], on db: any Database) async throws -> [Self] {
        try await rows(conditions, orderBy: order, on: db as! any SQLDatabase)
    }

    static func rows(_ conditions: [RowCondition], orderBy order: [String] = [], on sql: any SQLDatabase) async throws -> [Self] {
        var text = SQLQueryString("SELECT \(unsafeRaw: columnNames.map { "\"\($0)\"" }.joined(separator: ", ")) FROM \(unsafeRaw: "\"\(schema)\"")")
        for (index, condition) in conditions.enumerated() {
            text.appendLiteral(index == 0 ? " WHERE " : " AND ")
            switch condition {
            case .equals(let column, let value):
                text.appendInterpolation(unsafeRaw: "\"\(column)\" = ")
                text.appendInterpolation(bind: value)
            case .oneOf(let column, let values):
                // An empty list matches nothing, as `IN ()` would if SQL allowed it.
                guard !values.isEmpty else { return [] }
                text.appendInterpolation(unsafeRaw: "\"\(column)\" IN (")
                text.appendInterpolation(binds: values)
                text.appendLiteral(")")
            }
        }
        if !order.isEmpty {
            text.appendInterpolation(unsafeRaw: " ORDER BY " + order.map { column in
                column.hasSuffix(" DESC") ? "\"\(column.dropLast(5))\" DESC" : "\"\(column)\""
            }.joined(separator: ", "))
        }
        return try await sql.raw(text).all().map { try Self(row: $0) }
    }
}

/// Fluent's own statements, read into `RowDecodable` models: the filters, sorts and limits are
/// built with Fluent's query builder as usual, and only the reading skips its reflection.
private struct PlainSQLConverter: SQLConverterDelegate {
    func customDataType(_ dataType: DatabaseSchema.DataType) -> (any SQLExpression)? { nil }
    func beforeConvert(_ schema: DatabaseSchema) -> DatabaseSchema { schema }
}

private final class ExpressionFetcher: SQLQueryFetcher, @unchecked Sendable {
    var query: any SQLExpression
    let database: any SQLDatabase

    init(query: any SQLExpression, database: any SQLDatabase) {
        self.query = query
        self.database = database
    }
}

/// Collects what a model would write: only the fields set since it was read or made, in the
/// order its fields are listed.
private final class ChangedValues: DatabaseInput {
    var values: [(key: FieldKey, value: DatabaseQuery.Value)] = []
    func set(_ value: DatabaseQuery.Value, at key: FieldKey) { values.append((key, value)) }
}

/// A value read straight from a row, with no model built: for lists that only show what they
/// read, where making a model (an object per field) cost more than the query.
protocol PlainRow {
    static var columnNames: [String] { get }
    init(row: any SQLRow) throws
}

extension QueryBuilder {
    /// The rows this query finds, read as `Row`s: Fluent builds the filters, sorts and limits.
    func plainRows<Row: PlainRow>(_ type: Row.Type) async throws -> [Row] {
        try await rows(selecting: Row.columnNames).map { try Row(row: $0) }
    }

    private func rows(selecting columns: [String]) async throws -> [any SQLRow] {
        guard var select = SQLQueryConverter(delegate: PlainSQLConverter()).convert(query) as? SQLSelect else {
            preconditionFailure("a read converts to a SELECT")
        }
        select.columns = columns.map { SQLColumn($0) }
        return try await ExpressionFetcher(query: select, database: database as! any SQLDatabase).all()
    }
}

extension QueryBuilder where Model: RowDecodable {
    /// The models this query finds, each read from its row by its hand-listed fields.
    func decodedRows() async throws -> [Model] {
        try await rows(selecting: Model.columnNames).map { try Model(row: $0) }
    }
}

extension RowDecodable where IDValue == UUID {
    /// Writes the fields changed since the model was read, in one UPDATE written as text: a
    /// bulk upsert writes thousands, and Fluent's per-model reflection and SQLKit's quoting of
    /// each identifier cost more than SQLite's work. Returns whether anything was written.
    @discardableResult
    func updateChanges(on db: any Database) async throws -> Bool {
        guard let id else { preconditionFailure("updateChanges() is for a model already saved") }
        let changed = ChangedValues()
        for field in storedFields where !field.keys.contains(.id) { field.input(to: changed) }
        guard !changed.values.isEmpty else { return false }
        var text = SQLQueryString("UPDATE \(unsafeRaw: "\"\(Self.schema)\"") SET ")
        for (index, (key, value)) in changed.values.enumerated() {
            // Field keys are the schema's own names, never input; quoted for both databases.
            text.appendInterpolation(unsafeRaw: (index == 0 ? "\"" : ", \"") + key.description + "\" = ")
            switch value {
            case .bind(let bound): text.appendInterpolation(bind: bound)
            case .null: text.appendLiteral("NULL")
            case .enumCase(let name): text.appendInterpolation(bind: name)
            default: throw LanternError(.internalServerError, "\(Self.schema).\(key) holds a value this update cannot write.")
            }
        }
        text.appendLiteral(" WHERE \"id\" = ")
        text.appendInterpolation(bind: id)
        try await (db as! any SQLDatabase).raw(text).run()
        return true
    }
}
