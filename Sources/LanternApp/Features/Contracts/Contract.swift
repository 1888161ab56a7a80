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
    @Field(key: "status") var status: String
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
        self.status = "active"
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
        ReviewSchedule.status(nextReview: nextReview, needsReview: needsReview && status == "active", today: today)
    }
}

/// One PPN 02/23 assessment of a contract. Never changed once made: a reassessment is a new
/// row, so the history shows how the risk moved and who judged it.
final class RiskAssessmentRecord: Model, @unchecked Sendable {
    static let schema = "contract_risk_assessments"

    @ID(key: .id) var id: UUID?
    @Parent(key: "contract_id") var contract: Contract
    /// ``RiskAnswers`` and ``RiskResult`` as JSON.
    @Field(key: "answers") var answers: Data
    @Field(key: "result") var result: Data
    @Field(key: "score") var score: Int
    /// The level that applies: the model's, or the override.
    @Field(key: "level") var level: String
    @OptionalField(key: "override_level") var overrideLevel: String?
    @Field(key: "rationale") var rationale: String
    @OptionalField(key: "approver") var approver: String?
    @OptionalField(key: "assessed_by") var assessedBy: UUID?
    @Field(key: "assessor_name") var assessorName: String
    @Field(key: "assessed_at") var assessedAt: Date

    init() {}
}

/// The annual supplier assessment of a contract (suppliers.md §7).
final class ContractReview: Model, @unchecked Sendable {
    static let schema = "contract_reviews"

    @ID(key: .id) var id: UUID?
    @Parent(key: "contract_id") var contract: Contract
    @Field(key: "reviewed_on") var reviewedOn: String
    @Field(key: "reviewer_name") var reviewerName: String
    /// `satisfactory`, `improvement_needed` or `unsatisfactory`.
    @Field(key: "outcome") var outcome: String
    @Field(key: "supply_chain_mapped") var supplyChainMapped: Bool
    @Field(key: "financial_checks") var financialChecks: Bool
    @Field(key: "policy_adherence") var policyAdherence: Bool
    @Field(key: "meeting_held") var meetingHeld: Bool
    @Field(key: "notes") var notes: String
    @OptionalField(key: "next_review_date") var nextReviewDate: String?
    @Field(key: "recorded_at") var recordedAt: Date

    init() {}

    static let outcomes: [(String, String)] = [
        ("satisfactory", "Satisfactory"), ("improvement_needed", "Improvement needed"), ("unsatisfactory", "Unsatisfactory"),
    ]
}

/// A risk on the contract's risk register.
final class ContractRisk: Model, @unchecked Sendable {
    static let schema = "contract_risks"

    @ID(key: .id) var id: UUID?
    @Parent(key: "contract_id") var contract: Contract
    @Field(key: "characteristic") var characteristic: String
    @Field(key: "description") var description: String
    @Field(key: "likelihood") var likelihood: Int
    @Field(key: "impact") var impact: Int
    @Field(key: "owner") var owner: String
    @Field(key: "mitigation") var mitigation: String
    @Field(key: "treatment") var treatment: String
    @Field(key: "review_date") var reviewDate: String
    /// `open` or `closed`.
    @Field(key: "status") var status: String
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// A corrective action or an escalation step: sanctions and the decision to terminate are
/// steps on the same ladder (suppliers.md §9).
final class ContractAction: Model, @unchecked Sendable {
    static let schema = "contract_actions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "contract_id") var contract: Contract
    @Field(key: "step") var step: String
    @Field(key: "description") var description: String
    @Field(key: "owner") var owner: String
    @Field(key: "due_date") var dueDate: String
    /// `open`, `done` or `cancelled`.
    @Field(key: "status") var status: String
    @OptionalField(key: "approver") var approver: String?
    @OptionalField(key: "decision_date") var decisionDate: String?
    @Field(key: "evidence") var evidence: String
    @Field(key: "outcome") var outcome: String
    @OptionalField(key: "completed_on") var completedOn: String?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    var escalationStep: EscalationStep { EscalationStep(rawValue: step) ?? .correctiveAction }
}

/// A supplier KPI on the contract, with its values period by period.
final class ContractKPI: Model, @unchecked Sendable {
    static let schema = "contract_kpis"

    @ID(key: .id) var id: UUID?
    @Parent(key: "contract_id") var contract: Contract
    @Field(key: "name") var name: String
    @Field(key: "target") var target: String
    @Field(key: "unit") var unit: String
    @Children(for: \.$kpi) var values: [ContractKPIValue]

    init() {}
}

final class ContractKPIValue: Model, @unchecked Sendable {
    static let schema = "contract_kpi_values"

    @ID(key: .id) var id: UUID?
    @Parent(key: "kpi_id") var kpi: ContractKPI
    @Field(key: "period") var period: String
    @Field(key: "value") var value: Double
    @Field(key: "note") var note: String
    @Field(key: "recorded_at") var recordedAt: Date

    init() {}
}

struct CreateContracts: AsyncMigration {
    var name: String { "2026-11-24-create-contracts" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Contract.schema)
            .id()
            .field("reference", .string)
            .field("title", .string, .required)
            .field("title_key", .string, .required)
            .field("supplier_id", .uuid, .required, .references(Supplier.schema, "id"))
            .field("category", .string)
            .field("value_pence", .int64)
            .field("annual_value_pence", .int64)
            .field("start_date", .string)
            .field("end_date", .string)
            .field("procurement_started", .string)
            .field("contract_manager_id", .uuid, .references(User.schema, "id"))
            .field("business_critical", .bool, .required)
            .field("regime", .string, .required)
            .field("clauses_included", .bool, .required)
            .field("statement_required", .bool, .required)
            .field("high_value", .bool, .required)
            .field("risk_level", .string)
            .field("risk_score", .int)
            .field("assessed_on", .string)
            .field("needs_review", .bool, .required)
            .field("next_review_date", .string)
            .field("last_review_date", .string)
            .field("status", .string, .required)
            .field("import_batch_id", .uuid)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        let sql = database as! any SQLDatabase
        for column in ["supplier_id", "contract_manager_id", "title_key"] {
            try await sql.create(index: "contracts_\(column)_idx").on(Contract.schema).column(column).run()
        }
        // The dashboard counts active contracts by level from this index alone.
        try await sql.create(index: "contracts_status_risk_idx").on(Contract.schema).column("status").column("risk_level").run()
        try await sql.create(index: "contracts_risk_title_idx").on(Contract.schema).column("risk_level").column("title_key").run()
        try await DatabaseSetup.createSubstringIndex(database, name: "contracts_title_key_trgm_idx", table: Contract.schema, column: "title_key")
        try await sql.create(index: "contracts_review_idx").on(Contract.schema).column("status").column("needs_review").column("next_review_date").run()

        try await database.schema(RiskAssessmentRecord.schema)
            .id()
            .field("contract_id", .uuid, .required, .references(Contract.schema, "id", onDelete: .cascade))
            .field("answers", .data, .required)
            .field("result", .data, .required)
            .field("score", .int, .required)
            .field("level", .string, .required)
            .field("override_level", .string)
            .field("rationale", .string, .required)
            .field("approver", .string)
            .field("assessed_by", .uuid)
            .field("assessor_name", .string, .required)
            .field("assessed_at", .datetime, .required)
            .create()
        try await database.schema(ContractReview.schema)
            .id()
            .field("contract_id", .uuid, .required, .references(Contract.schema, "id", onDelete: .cascade))
            .field("reviewed_on", .string, .required)
            .field("reviewer_name", .string, .required)
            .field("outcome", .string, .required)
            .field("supply_chain_mapped", .bool, .required)
            .field("financial_checks", .bool, .required)
            .field("policy_adherence", .bool, .required)
            .field("meeting_held", .bool, .required)
            .field("notes", .string, .required)
            .field("next_review_date", .string)
            .field("recorded_at", .datetime, .required)
            .create()
        try await database.schema(ContractRisk.schema)
            .id()
            .field("contract_id", .uuid, .required, .references(Contract.schema, "id", onDelete: .cascade))
            .field("characteristic", .string, .required)
            .field("description", .string, .required)
            .field("likelihood", .int, .required)
            .field("impact", .int, .required)
            .field("owner", .string, .required)
            .field("mitigation", .string, .required)
            .field("treatment", .string, .required)
            .field("review_date", .string, .required)
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(ContractAction.schema)
            .id()
            .field("contract_id", .uuid, .required, .references(Contract.schema, "id", onDelete: .cascade))
            .field("step", .string, .required)
            .field("description", .string, .required)
            .field("owner", .string, .required)
            .field("due_date", .string, .required)
            .field("status", .string, .required)
            .field("approver", .string)
            .field("decision_date", .string)
            .field("evidence", .string, .required)
            .field("outcome", .string, .required)
            .field("completed_on", .string)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(ContractKPI.schema)
            .id()
            .field("contract_id", .uuid, .required, .references(Contract.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("target", .string, .required)
            .field("unit", .string, .required)
            .create()
        try await database.schema(ContractKPIValue.schema)
            .id()
            .field("kpi_id", .uuid, .required, .references(ContractKPI.schema, "id", onDelete: .cascade))
            .field("period", .string, .required)
            .field("value", .double, .required)
            .field("note", .string, .required)
            .field("recorded_at", .datetime, .required)
            .create()
        for (table, column) in [(RiskAssessmentRecord.schema, "contract_id"), (ContractReview.schema, "contract_id"),
                                (ContractRisk.schema, "contract_id"), (ContractAction.schema, "contract_id"),
                                (ContractAction.schema, "status"), (ContractKPI.schema, "contract_id"), (ContractKPIValue.schema, "kpi_id")] {
            try await sql.create(index: "\(table)_\(column)_idx").on(table).column(column).run()
        }
    }

    func revert(on database: any Database) async throws {
        for schema in [ContractKPIValue.schema, ContractKPI.schema, ContractAction.schema, ContractRisk.schema,
                       ContractReview.schema, RiskAssessmentRecord.schema, Contract.schema] {
            try await database.schema(schema).delete()
        }
    }
}

extension Contract: ClockStamped {
    func stamp(created: Bool, at time: Date) {
        if created { createdAt = time }
        updatedAt = time
    }
}
