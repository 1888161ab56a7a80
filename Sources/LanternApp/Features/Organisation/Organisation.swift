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
    // Procurement policy (nil: the defaults in ``ProcurementPolicy``).
    @OptionalField(key: "statement_threshold_pence") var statementThresholdPence: Int?
    @OptionalField(key: "high_value_threshold_pence") var highValueThresholdPence: Int?
    @OptionalField(key: "risk_medium_from") var riskMediumFrom: Int?
    @OptionalField(key: "risk_high_from") var riskHighFrom: Int?
    /// Whether everyone whose role sees case content must use two-factor authentication.
    @OptionalField(key: "require_two_factor") var requireTwoFactor: Bool?
    /// Whether everyone signs in through the identity provider, but the one break-glass
    /// administrator, who may still use a password when the provider is down.
    @OptionalField(key: "require_sso") var requireSSO: Bool?
    @OptionalField(key: "break_glass_user_id") var breakGlassUserID: UUID?
    @OptionalField(key: "updated_at") var updatedAt: Date?

    init() {}

    var procurementPolicy: ProcurementPolicy {
        let defaults = ProcurementPolicy()
        return ProcurementPolicy(
            statementThreshold: statementThresholdPence.map(Money.init(pence:)) ?? defaults.statementThreshold,
            highValueThreshold: highValueThresholdPence.map(Money.init(pence:)) ?? defaults.highValueThreshold,
            risk: RiskThresholds(mediumFrom: riskMediumFrom ?? defaults.risk.mediumFrom, highFrom: riskHighFrom ?? defaults.risk.highFrom))
    }

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

    /// Whether `user` must sign in through the identity provider rather than with a password.
    func requiresSingleSignOn(for user: User) -> Bool { requireSSO == true && user.id != breakGlassUserID }

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

struct AddProcurementPolicy: AsyncMigration {
    var name: String { "2026-11-24-organisation-procurement-policy" }

    static let columns: [(String, DatabaseSchema.DataType)] = [
        ("statement_threshold_pence", .int64), ("high_value_threshold_pence", .int64), ("risk_medium_from", .int), ("risk_high_from", .int),
    ]

    // One column per statement: SQLite's ALTER TABLE adds a single column at a time.
    func prepare(on database: any Database) async throws {
        for (name, type) in Self.columns {
            try await database.schema(Organisation.schema).field(.definition(name: .key(.string(name)), dataType: type, constraints: [])).update()
        }
    }

    func revert(on database: any Database) async throws {
        for (name, _) in Self.columns {
            try await database.schema(Organisation.schema).deleteField(.key(.string(name))).update()
        }
    }
}

extension Organisation: ClockStamped {
    func stamp(created: Bool, at time: Date) {
        updatedAt = time
    }
}
