import Fluent
import Foundation

/// A statement check kept for the record, so later readers (and the supplier pages) can see
/// what was checked, when, by whom, and what it found.
final class StatementCheckRecord: Model, @unchecked Sendable {
    static let schema = "statement_checks"

    @ID(key: .id) var id: UUID?
    /// The file name or address that was checked.
    @Field(key: "source") var source: String
    @Field(key: "kind") var kind: String
    @OptionalField(key: "organisation") var organisation: String?
    @Field(key: "met_count") var metCount: Int
    @Field(key: "criteria_count") var criteriaCount: Int
    /// The full report as JSON (StatementReport); statements are public documents.
    @Field(key: "report") var report: Data
    @OptionalField(key: "checked_by") var checkedBy: UUID?
    /// The supplier whose statement it is, when checked from the supplier or the register.
    @OptionalField(key: "supplier_id") var supplierID: UUID?
    /// Each criterion's verdict (`StatementVerdicts`), so lists need not read the whole report.
    @OptionalField(key: "verdicts") var verdicts: String?
    @Field(key: "checked_at") var checkedAt: Date

    init() {}

    init(source: String, kind: String, organisation: String?, metCount: Int, criteriaCount: Int,
         report: Data, checkedBy: UUID?, checkedAt: Date) {
        self.source = source
        self.kind = kind
        self.organisation = organisation
        self.metCount = metCount
        self.criteriaCount = criteriaCount
        self.report = report
        self.checkedBy = checkedBy
        self.checkedAt = checkedAt
    }
}

struct CreateStatementCheckRecord: AsyncMigration {
    var name: String { "2026-11-24-create-statement-checks" }

    func prepare(on database: any Database) async throws {
        try await database.schema(StatementCheckRecord.schema)
            .id()
            .field("source", .string, .required)
            .field("kind", .string, .required)
            .field("organisation", .string)
            .field("met_count", .int, .required)
            .field("criteria_count", .int, .required)
            .field("report", .data, .required)
            .field("checked_by", .uuid)
            .field("checked_at", .datetime, .required)
            .create()
        try await (database as! any SQLDatabase).create(index: "statement_checks_checked_at_idx")
            .on(StatementCheckRecord.schema).column("checked_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StatementCheckRecord.schema).delete()
    }
}
