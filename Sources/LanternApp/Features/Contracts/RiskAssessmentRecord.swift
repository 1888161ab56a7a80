import Fluent
import Foundation
import LanternCore

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
