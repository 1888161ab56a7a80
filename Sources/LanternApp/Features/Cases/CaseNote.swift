import Fluent
import Crypto
import Foundation
import LanternCore
import SQLKit
import Vapor

/// A dated note, encrypted.
final class CaseNote: SealedModel, @unchecked Sendable {
    static let schema = "case_notes"
    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var safeguardingCase: SafeguardingCase
    @OptionalField(key: "author_id") var authorID: UUID?
    @Field(key: "written_at") var writtenAt: Date
    @Field(key: "wrapped_key") var wrappedKey: Data
    @Field(key: "sealed") var sealed: Data
    typealias Secrets = String
    init() { wrappedKey = Data(); sealed = Data() }
}

extension CaseNote: RowDecodable {
    var storedFields: [any AnyDatabaseProperty] { [$id, $safeguardingCase, $authorID, $writtenAt, $wrappedKey, $sealed] }
    static let columnNames = ["id", "case_id", "author_id", "written_at", "wrapped_key", "sealed"]
}
