import Fluent
import Foundation
import LanternCore

/// The public body using this Lantern. One row per deployment.
final class Organisation: Model, @unchecked Sendable {
    static let schema = "organisations"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: OrganisationKind
    @Field(key: "is_first_responder") var isFirstResponder: Bool
    @Field(key: "financial_year_end_month") var financialYearEndMonth: Int
    @Field(key: "financial_year_end_day") var financialYearEndDay: Int
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(name: String, kind: OrganisationKind, isFirstResponder: Bool? = nil,
         financialYearEndMonth: Int = 3, financialYearEndDay: Int = 31) {
        self.name = name
        self.kind = kind
        self.isFirstResponder = isFirstResponder ?? kind.isFirstResponderByDefault
        self.financialYearEndMonth = financialYearEndMonth
        self.financialYearEndDay = financialYearEndDay
    }

    var financialYearEnd: String {
        let months = Calendar.ukCivil.monthSymbols
        return "\(financialYearEndDay) \(months[financialYearEndMonth - 1])"
    }

    func currentFinancialYear(now: Date) -> FinancialYear {
        FinancialYear.containing(now, endMonth: financialYearEndMonth, endDay: financialYearEndDay)
    }

    static func current(on db: any Database) async throws -> Organisation? {
        try await Organisation.query(on: db).first()
    }
}

struct CreateOrganisation: AsyncMigration {
    /// Fixed, so renaming the type never re-runs the migration on a live database.
    var name: String { "2026-11-24-create-organisations" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Organisation.schema)
            .id()
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("is_first_responder", .bool, .required)
            .field("financial_year_end_month", .int, .required)
            .field("financial_year_end_day", .int, .required)
            .field("updated_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Organisation.schema).delete()
    }
}
