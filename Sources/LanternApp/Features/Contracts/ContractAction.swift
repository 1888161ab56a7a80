import Fluent
import Foundation
import LanternCore

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
    @Field(key: "status") var status: ContractActionStatus
    @OptionalField(key: "approver") var approver: String?
    @OptionalField(key: "decision_date") var decisionDate: String?
    @Field(key: "evidence") var evidence: String
    @Field(key: "outcome") var outcome: String
    @OptionalField(key: "completed_on") var completedOn: String?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    var escalationStep: EscalationStep { EscalationStep(rawValue: step) ?? .correctiveAction }
}

/// Where a corrective action or escalation step has reached.
enum ContractActionStatus: String, Codable, CaseIterable, Sendable {
    case open, done, cancelled
}
