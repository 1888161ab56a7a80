import Fluent
import Foundation
import LanternCore
import SQLKit

/// The reference a record had in the system it was moved in from. The reference itself is
/// sealed with the record; a blind index of it (`former_reference_index`) lets a later file
/// find the record (a referral for a case moved in last week) and lets the same record never
/// be moved in twice, without the reference being readable in the table.
enum FormerReference {
    static let purpose = "former-reference"

    static func index(_ reference: String, kind: String, lookup: LookupKeys) -> String {
        lookup.blindIndex("\(kind)|\(reference.trimmingCharacters(in: .whitespaces).uppercased())", purpose: purpose)
    }

    /// The ids of the records of `table` that already carry these references, by index.
    static func existing(_ indexes: [String], in table: String, on db: any Database) async throws -> [String: UUID] {
        guard !indexes.isEmpty else { return [:] }
        let sql = db as! any SQLDatabase
        var found: [String: UUID] = [:]
        for chunk in stride(from: 0, to: indexes.count, by: 500).map({ Array(indexes[$0..<min($0 + 500, indexes.count)]) }) {
            let rows = try await sql.select().column("id").column("former_reference_index").from(table)
                .where("former_reference_index", .in, chunk).all()
            for row in rows {
                found[try row.decode(column: "former_reference_index", as: String.self)] = try row.decode(column: "id", as: UUID.self)
            }
        }
        return found
    }
}

struct AddFormerReferences: AsyncMigration {
    var name: String { "2026-12-07-add-former-references" }
    func prepare(on database: any Database) async throws {
        for table in [SafeguardingCase.schema, Concern.schema] {
            try await database.schema(table).field("former_reference_index", .string).update()
            try await (database as! any SQLDatabase).create(index: "\(table)_former_reference_index").on(table).column("former_reference_index").run()
        }
    }
    func revert(on database: any Database) async throws {
        for table in [SafeguardingCase.schema, Concern.schema] {
            try await (database as! any SQLDatabase).drop(index: "\(table)_former_reference_index").run()
            try await database.schema(table).deleteField("former_reference_index").update()
        }
    }
}

/// The area a case is in, so the partnership picture counts council cases by area too.
struct AddCaseArea: AsyncMigration {
    var name: String { "2026-12-07-add-case-area" }
    func prepare(on database: any Database) async throws {
        try await database.schema(SafeguardingCase.schema).field("area", .string).update()
    }
    func revert(on database: any Database) async throws {
        try await database.schema(SafeguardingCase.schema).deleteField("area").update()
    }
}
