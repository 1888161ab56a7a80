import Fluent
import Foundation
import LanternCore
import SQLKit

/// How long each kind of record is kept, as an administrator has set it.
final class RetentionPeriod: Model, @unchecked Sendable {
    static let schema = "retention_periods"
    @ID(key: .id) var id: UUID?
    @Field(key: "record_type") var recordType: RetainedRecord
    @Field(key: "months") var months: Int
    @OptionalField(key: "changed_by") var changedBy: UUID?
    @Field(key: "changed_at") var changedAt: Date
    init() {}

    /// The schedule in force: what is stored, or the starting period for a type not yet set.
    static func schedule(on db: any Database) async throws -> [RetainedRecord: Int] {
        var schedule = Dictionary(uniqueKeysWithValues: RetainedRecord.allCases.map { ($0, $0.defaultMonths) })
        for p in try await RetentionPeriod.query(on: db).all() { schedule[p.recordType] = p.months }
        return schedule
    }
}
