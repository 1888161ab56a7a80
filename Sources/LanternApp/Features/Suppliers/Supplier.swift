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
    /// Each criterion's verdict in the latest check (`StatementVerdicts`), for the register's filters.
    @OptionalField(key: "statement_verdicts") var statementVerdicts: String?
    /// When the statement was last checked or tried, and why the last try could not read it.
    @OptionalField(key: "statement_checked_at") var statementCheckedAt: Date?
    @OptionalField(key: "statement_problem") var statementProblem: String?

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

    var sectorList: [Sector] { Supplier.sectors(sectors) }
    var operationCountries: [String] { Supplier.countries(countriesOfOperation) }
    var sourcingCountries: [String] { Supplier.countries(countriesOfSourcing) }
    var turnover: TurnoverBand? { turnoverBand.flatMap(TurnoverBand.init(rawValue:)) }

    static func sectors(_ text: String) -> [Sector] {
        text.split(separator: ",").compactMap { Sector(rawValue: String($0)) }
    }

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

extension Supplier: ClockStamped {
    func stamp(created: Bool, at time: Date) {
        if created { createdAt = time }
        updatedAt = time
    }
}

extension Supplier: RowDecodable {
    var storedFields: [any AnyDatabaseProperty] {
        [$id, $name, $nameKey, $companyNumber, $address, $sectors, $countriesOfOperation, $countriesOfSourcing, $turnoverBand, $parentCompany, $sqRelevant, $sqCompliant, $sqStatementURL, $sqExplanation, $sqAnsweredOn, $declarationNotInvolved, $declarationNotInvestigated, $declarationSignedBy, $declarationSignedRole, $declarationSignedOn, $statementCheckID, $statementURL, $statementPeriodEnd, $statementGaps, $statementVerdicts, $statementCheckedAt, $statementProblem, $importBatchID, $createdAt, $updatedAt]
    }
    static let columnNames = ["id", "name", "name_key", "company_number", "address", "sectors", "countries_operation", "countries_sourcing", "turnover_band", "parent_company", "sq_relevant", "sq_compliant", "sq_statement_url", "sq_explanation", "sq_answered_on", "declaration_not_involved", "declaration_not_investigated", "declaration_signed_by", "declaration_signed_role", "declaration_signed_on", "statement_check_id", "statement_url", "statement_period_end", "statement_gaps", "statement_verdicts", "statement_checked_at", "statement_problem", "import_batch_id", "created_at", "updated_at"]
}
