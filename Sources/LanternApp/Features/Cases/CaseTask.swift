import Fluent
import Crypto
import Foundation
import LanternCore
import SQLKit
import Vapor

/// A task with a due date; the title is encrypted as it may name people.
final class CaseTask: SealedModel, @unchecked Sendable {
    static let schema = "case_tasks"
    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var safeguardingCase: SafeguardingCase
    @OptionalField(key: "assignee_id") var assigneeID: UUID?
    @Field(key: "due_on") var dueOn: String
    @OptionalField(key: "done_at") var doneAt: Date?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "wrapped_key") var wrappedKey: Data
    @Field(key: "sealed") var sealed: Data
    typealias Secrets = String
    init() { wrappedKey = Data(); sealed = Data() }
}

extension CaseTask: RowDecodable {
    var storedFields: [any AnyDatabaseProperty] { [$id, $safeguardingCase, $assigneeID, $dueOn, $doneAt, $createdAt, $wrappedKey, $sealed] }
    static let columnNames = ["id", "case_id", "assignee_id", "due_on", "done_at", "created_at", "wrapped_key", "sealed"]
}
