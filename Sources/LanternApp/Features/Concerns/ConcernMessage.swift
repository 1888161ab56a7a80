import Fluent
import SQLKit
import Foundation
import LanternCore
import Vapor

/// Who can see a message: the reporter sees `toReporter` messages and their own.
/// Source: `shared/docs/domain/security.md` §1 (two-way messages).
enum MessageVisibility: String, Codable, CaseIterable, Sendable {
    case toReporter = "to_reporter"
    case fromReporter = "from_reporter"
    case internalNote = "internal"
}

final class ConcernMessage: SealedModel, @unchecked Sendable {
    static let schema = "concern_messages"
    @ID(key: .id) var id: UUID?
    @Parent(key: "concern_id") var concern: Concern
    @Field(key: "visibility") var visibility: MessageVisibility
    @OptionalField(key: "author_id") var authorID: UUID?
    @Field(key: "sent_at") var sentAt: Date
    @Field(key: "wrapped_key") var wrappedKey: Data
    @Field(key: "sealed") var sealed: Data

    typealias Secrets = String

    init() {
        wrappedKey = Data()
        sealed = Data()
    }

    /// Writes one message, its body encrypted under its own data key.
    static func post(_ body: String, on concern: Concern, visibility: MessageVisibility, author: UUID?, at time: Date,
                     cipher: FieldCipher, db: any Database) async throws {
        let message = ConcernMessage()
        message.$concern.id = concern.id!
        message.visibility = visibility
        message.authorID = author
        message.sentAt = time
        try message.seal(body, with: cipher)
        try await message.create(on: db)
    }
}
