import Fluent
import Foundation
import LanternCore

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
