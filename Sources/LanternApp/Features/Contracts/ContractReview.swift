import Fluent
import Foundation
import LanternCore

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
