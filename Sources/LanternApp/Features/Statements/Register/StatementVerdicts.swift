import Fluent
import Foundation
import SQLKit
import StatementChecker

/// A check's verdicts in one short text, `approval=met;signature=not_found;…`, kept on the check
/// and on its supplier so the register lists and filters without reading whole reports.
enum StatementVerdicts {
    /// The register's columns: the UK criteria in the report's order, with short headings.
    static let columns: [(id: String, heading: String)] = [
        ("approval", "Board approval"), ("signature", "Signature"), ("period", "Period"), ("structure", "Structure"),
        ("policies", "Policies"), ("due_diligence", "Due diligence"), ("risk", "Risk"), ("effectiveness", "Effectiveness"),
        ("training", "Training"),
    ]

    /// `overrides`: reviewers' verdicts, by criterion, in place of Lantern's.
    static func text(_ report: StatementReport, overrides: [String: StatementReport.Verdict] = [:]) -> String {
        let uk = report.ukCriteria.map { "\($0.id)=\((overrides[$0.id] ?? $0.verdict).rawValue)" }
        let aimsMet = report.aimsCriteria.filter { (overrides[$0.id] ?? $0.verdict) == .met }.count
        return (uk + ["aims=\(aimsMet)/\(report.aimsCriteria.count)"]).joined(separator: ";")
    }

    static func parse(_ text: String?) -> [String: String] {
        Dictionary((text ?? "").split(separator: ";").compactMap { pair -> (String, String)? in
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            return parts.count == 2 ? (parts[0], parts[1]) : nil
        }, uniquingKeysWith: { first, _ in first })
    }

    /// The condition "criterion `id` is not met" on a verdicts column, for filters.
    static func notMet(_ id: String) -> String { "%\(id)=met%" }

    static func label(_ verdict: String?) -> String {
        switch verdict {
        case "met": "Met"
        case "not_explicit": "Not explicit"
        case "not_found": "Not found"
        default: "Not checked"
        }
    }
}

struct AddStatementRegister: AsyncMigration {
    var name: String { "2026-12-07-add-statement-register" }
    /// One column at a time: SQLite adds one per statement.
    static let added: [(table: String, column: String, type: DatabaseSchema.DataType)] = [
        (StatementCheckRecord.schema, "supplier_id", .uuid), (StatementCheckRecord.schema, "verdicts", .string),
        (Supplier.schema, "statement_verdicts", .string), (Supplier.schema, "statement_checked_at", .datetime), (Supplier.schema, "statement_problem", .string),
    ]

    func prepare(on database: any Database) async throws {
        for (table, column, type) in Self.added { try await database.schema(table).field(.definition(name: .key(.string(column)), dataType: type, constraints: [])).update() }
        try await (database as! any SQLDatabase).create(index: "statement_checks_supplier_idx")
            .on(StatementCheckRecord.schema).column("supplier_id").column("checked_at").run()
    }
    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(index: "statement_checks_supplier_idx").run()
        for (table, column, _) in Self.added.reversed() { try await database.schema(table).deleteField(.string(column)).update() }
    }
}
