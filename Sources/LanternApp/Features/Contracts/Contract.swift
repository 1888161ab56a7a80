import Fluent
import Foundation
import LanternCore

/// A contract with a supplier, and the figures its lists and dashboard filter on. The risk
/// level and review date are kept on the row (from the latest assessment and review) so a
/// list of 100,000 contracts filters on indexed columns.
final class Contract: Model, @unchecked Sendable {
    static let schema = "contracts"

    @ID(key: .id) var id: UUID?
    @OptionalField(key: "reference") var reference: String?
    @Field(key: "title") var title: String
    @Field(key: "title_key") var titleKey: String
    @Parent(key: "supplier_id") var supplier: Supplier
    @OptionalField(key: "category") var category: String?
    @OptionalField(key: "value_pence") var valuePence: Int?
    @OptionalField(key: "annual_value_pence") var annualValuePence: Int?
    @OptionalField(key: "start_date") var startDate: String?
    @OptionalField(key: "end_date") var endDate: String?
    @OptionalField(key: "procurement_started") var procurementStarted: String?
    @OptionalParent(key: "contract_manager_id") var contractManager: User?
    @Field(key: "business_critical") var businessCritical: Bool
    @Field(key: "regime") var regime: String
    @Field(key: "clauses_included") var clausesIncluded: Bool
    @Field(key: "statement_required") var statementRequired: Bool
    @Field(key: "high_value") var highValue: Bool
    /// From the latest risk assessment; nil until assessed.
    @OptionalField(key: "risk_level") var riskLevel: String?
    @OptionalField(key: "risk_score") var riskScore: Int?
    @OptionalField(key: "assessed_on") var assessedOn: String?
    @Field(key: "needs_review") var needsReview: Bool
    @OptionalField(key: "next_review_date") var nextReviewDate: String?
    @OptionalField(key: "last_review_date") var lastReviewDate: String?
    /// `active`, `terminated` or `ended`.
    @Field(key: "status") var status: ContractStatus
    @OptionalField(key: "import_batch_id") var importBatchID: UUID?
    @OptionalField(key: "created_at") var createdAt: Date?
    @OptionalField(key: "updated_at") var updatedAt: Date?

    init() {}

    init(title: String, supplierID: UUID, regime: ProcurementRegime = .ppn0223, titleKey: String? = nil) {
        self.title = title
        self.titleKey = titleKey ?? OrganisationName.key(title)
        self.$supplier.id = supplierID
        self.businessCritical = false
        self.regime = regime.rawValue
        self.clausesIncluded = false
        self.statementRequired = false
        self.highValue = false
        self.needsReview = false
        self.status = .active
    }

    var value: Money? { valuePence.map(Money.init(pence:)) }
    var annualValue: Money? { annualValuePence.map(Money.init(pence:)) }
    var level: RiskLevel? { riskLevel.flatMap(RiskLevel.init(rawValue:)) }
    var procurementRegime: ProcurementRegime { ProcurementRegime(rawValue: regime) ?? .ppn0223 }
    var nextReview: Day? { nextReviewDate.flatMap(Day.init(parsing:)) }

    /// Recomputes the flags that follow from the policy and the latest assessment.
    func applyPolicy(_ policy: ProcurementPolicy) {
        statementRequired = policy.requiresStatement(value: value)
        highValue = policy.isHighValue(value)
        needsReview = !policy.reviewReasons(value: value, riskLevel: level, businessCritical: businessCritical).isEmpty
    }

    func reviewStatus(today: Day) -> ReviewSchedule.Status {
        ReviewSchedule.status(nextReview: nextReview, needsReview: needsReview && status == .active, today: today)
    }
}

extension Contract: ClockStamped {
    func stamp(created: Bool, at time: Date) {
        if created { createdAt = time }
        updatedAt = time
    }
}

/// Whether a contract is running. Stored as its raw text.
enum ContractStatus: String, Codable, CaseIterable, Sendable {
    case active, ended, terminated

    var label: String { rawValue.capitalized }
}

extension Contract: RowDecodable {
    var storedFields: [any AnyDatabaseProperty] {
        [$id, $reference, $title, $titleKey, $supplier, $category, $valuePence, $annualValuePence, $startDate, $endDate, $procurementStarted, $contractManager, $businessCritical, $regime, $clausesIncluded, $statementRequired, $highValue, $riskLevel, $riskScore, $assessedOn, $needsReview, $nextReviewDate, $lastReviewDate, $status, $importBatchID, $createdAt, $updatedAt]
    }
    static let columnNames = ["id", "reference", "title", "title_key", "supplier_id", "category", "value_pence", "annual_value_pence", "start_date", "end_date", "procurement_started", "contract_manager_id", "business_critical", "regime", "clauses_included", "statement_required", "high_value", "risk_level", "risk_score", "assessed_on", "needs_review", "next_review_date", "last_review_date", "status", "import_batch_id", "created_at", "updated_at"]
}
