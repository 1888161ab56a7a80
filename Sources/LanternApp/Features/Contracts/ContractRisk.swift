import Fluent
import Foundation
import LanternCore

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
    @Field(key: "status") var status: ContractRiskStatus
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// Whether a risk on a contract's register is still being managed.
enum ContractRiskStatus: String, Codable, CaseIterable, Sendable {
    case open, closed
}
