import Fluent
import Foundation
import LanternCore

/// A supplier on the register, with its Selection Questionnaire section 7 answers, its
/// declaration and the latest check of its modern slavery statement.
final class Supplier: Model, @unchecked Sendable {
    static let schema = "suppliers"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    /// ``OrganisationName/key(_:)`` of the name: finds duplicates and serves the name filter.
    @Field(key: "name_key") var nameKey: String
    @OptionalField(key: "company_number") var companyNumber: String?
    @OptionalField(key: "address") var address: String?
    /// Sector codes separated by commas (``Sector``).
    @Field(key: "sectors") var sectors: String
    /// Countries separated by semicolons.
    @Field(key: "countries_operation") var countriesOfOperation: String
    @Field(key: "countries_sourcing") var countriesOfSourcing: String
    @OptionalField(key: "turnover_band") var turnoverBand: String?
    @OptionalField(key: "parent_company") var parentCompany: String?

    // Selection Questionnaire section 7
    @OptionalField(key: "sq_relevant") var sqRelevant: String?
    @OptionalField(key: "sq_compliant") var sqCompliant: String?
    @OptionalField(key: "sq_statement_url") var sqStatementURL: String?
    @OptionalField(key: "sq_explanation") var sqExplanation: String?
    @OptionalField(key: "sq_answered_on") var sqAnsweredOn: String?

    // Declaration
    @OptionalField(key: "declaration_not_involved") var declarationNotInvolved: Bool?
    @OptionalField(key: "declaration_not_investigated") var declarationNotInvestigated: Bool?
    @OptionalField(key: "declaration_signed_by") var declarationSignedBy: String?
    @OptionalField(key: "declaration_signed_role") var declarationSignedRole: String?
    @OptionalField(key: "declaration_signed_on") var declarationSignedOn: String?

    // Latest statement check
    @OptionalField(key: "statement_check_id") var statementCheckID: UUID?
    @OptionalField(key: "statement_url") var statementURL: String?
    @OptionalField(key: "statement_period_end") var statementPeriodEnd: String?
    /// UK criteria the latest check did not find met; nil when never checked.
    @OptionalField(key: "statement_gaps") var statementGaps: Int?

    @OptionalField(key: "import_batch_id") var importBatchID: UUID?
    @OptionalField(key: "created_at") var createdAt: Date?
    @OptionalField(key: "updated_at") var updatedAt: Date?

    init() {}

    init(name: String, companyNumber: String? = nil, sectors: [Sector] = [], countriesOfOperation: [String] = [],
         countriesOfSourcing: [String] = [], turnover: TurnoverBand? = nil, statementURL: String? = nil, nameKey: String? = nil) {
        self.name = name
        self.nameKey = nameKey ?? OrganisationName.key(name)
        self.companyNumber = companyNumber
        self.sectors = sectors.map(\.rawValue).joined(separator: ",")
        self.countriesOfOperation = countriesOfOperation.joined(separator: "; ")
        self.countriesOfSourcing = countriesOfSourcing.joined(separator: "; ")
        self.turnoverBand = turnover?.rawValue
        self.statementURL = statementURL
    }

    var sectorList: [Sector] { sectors.split(separator: ",").compactMap { Sector(rawValue: String($0)) } }
    var operationCountries: [String] { Supplier.countries(countriesOfOperation) }
    var sourcingCountries: [String] { Supplier.countries(countriesOfSourcing) }
    var turnover: TurnoverBand? { turnoverBand.flatMap(TurnoverBand.init(rawValue:)) }

    static func countries(_ text: String) -> [String] {
        text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    var questionnaire: SelectionQuestionnaireSeven? {
        guard let relevant = sqRelevant.flatMap(SelectionQuestionnaireSeven.RelevantOrganisation.init(rawValue:)) else { return nil }
        return SelectionQuestionnaireSeven(relevant: relevant, compliant: sqCompliant.flatMap(SelectionQuestionnaireSeven.Compliant.init(rawValue:)),
                                           statementURL: sqStatementURL, explanation: sqExplanation)
    }

    var declaration: SupplierDeclaration? {
        guard let by = declarationSignedBy, let on = declarationSignedOn.flatMap(Day.init(parsing:)) else { return nil }
        return SupplierDeclaration(notInvolved: declarationNotInvolved ?? false, notInvestigated: declarationNotInvestigated ?? false,
                                   signedBy: by, signedRole: declarationSignedRole ?? "", signedOn: on)
    }

    /// Where the supplier stands on its statement, for lists and filters.
    enum StatementStanding: String, CaseIterable, Encodable {
        case none, gaps, outOfDate = "out_of_date", complete

        var label: String {
            switch self {
            case .none: "No statement checked"
            case .gaps: "Statement has gaps"
            case .outOfDate: "Statement out of date"
            case .complete: "Statement meets every UK criterion"
            }
        }
    }

    func statementStanding(today: Day) -> StatementStanding {
        guard let gaps = statementGaps else { return .none }
        if let end = statementPeriodEnd.flatMap(Day.init(parsing:)), StatementCurrency.isOutOfDate(periodEnd: end, today: today) {
            return .outOfDate
        }
        return gaps > 0 ? .gaps : .complete
    }
}

/// A person at the supplier to contact about modern slavery due diligence.
final class SupplierContact: Model, @unchecked Sendable {
    static let schema = "supplier_contacts"

    @ID(key: .id) var id: UUID?
    @Parent(key: "supplier_id") var supplier: Supplier
    @Field(key: "name") var name: String
    @Field(key: "role") var role: String
    @Field(key: "email") var email: String
    @Field(key: "phone") var phone: String

    init() {}

    init(supplierID: UUID, name: String, role: String, email: String, phone: String) {
        self.$supplier.id = supplierID
        self.name = name
        self.role = role
        self.email = email
        self.phone = phone
    }
}

struct CreateSuppliers: AsyncMigration {
    var name: String { "2026-11-24-create-suppliers" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Supplier.schema)
            .id()
            .field("name", .string, .required)
            .field("name_key", .string, .required)
            .field("company_number", .string)
            .field("address", .string)
            .field("sectors", .string, .required)
            .field("countries_operation", .string, .required)
            .field("countries_sourcing", .string, .required)
            .field("turnover_band", .string)
            .field("parent_company", .string)
            .field("sq_relevant", .string)
            .field("sq_compliant", .string)
            .field("sq_statement_url", .string)
            .field("sq_explanation", .string)
            .field("sq_answered_on", .string)
            .field("declaration_not_involved", .bool)
            .field("declaration_not_investigated", .bool)
            .field("declaration_signed_by", .string)
            .field("declaration_signed_role", .string)
            .field("declaration_signed_on", .string)
            .field("statement_check_id", .uuid)
            .field("statement_url", .string)
            .field("statement_period_end", .string)
            .field("statement_gaps", .int)
            .field("import_batch_id", .uuid)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        let sql = database as! any SQLDatabase
        // Covers the name and sector filters, so counting matches reads the index, not the rows.
        try await sql.create(index: "suppliers_name_key_idx").on(Supplier.schema).column("name_key").column("sectors").run()
        try await sql.create(index: "suppliers_company_number_idx").on(Supplier.schema).column("company_number").run()
        try await DatabaseSetup.createSubstringIndex(database, name: "suppliers_name_key_trgm_idx", table: Supplier.schema, column: "name_key")
        try await DatabaseSetup.createSubstringIndex(database, name: "suppliers_sectors_trgm_idx", table: Supplier.schema, column: "sectors")
        // Standing filters and their sort by name are served from one index.
        try await sql.create(index: "suppliers_statement_gaps_idx").on(Supplier.schema).column("statement_gaps").column("name_key").run()

        try await database.schema(SupplierContact.schema)
            .id()
            .field("supplier_id", .uuid, .required, .references(Supplier.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("role", .string, .required)
            .field("email", .string, .required)
            .field("phone", .string, .required)
            .create()
        try await sql.create(index: "supplier_contacts_supplier_idx").on(SupplierContact.schema).column("supplier_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SupplierContact.schema).delete()
        try await database.schema(Supplier.schema).delete()
    }
}

extension Supplier: ClockStamped {
    func stamp(created: Bool, at time: Date) {
        if created { createdAt = time }
        updatedAt = time
    }
}
