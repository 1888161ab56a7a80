import Fluent
import SQLKit
import Foundation
import LanternCore
import Vapor

/// The reporter's identity, kept apart from the concern's content and encrypted.
final class ConcernReporter: SealedModel, @unchecked Sendable {
    static let schema = "concern_reporters"
    @ID(key: .id) var id: UUID?
    @Parent(key: "concern_id") var concern: Concern
    @Field(key: "wrapped_key") var wrappedKey: Data
    @Field(key: "sealed") var sealed: Data

    struct Secrets: Codable {
        var name = ""
        var role = ""
        var organisation = ""
        var email = ""
        var phone = ""
    }

    init() {
        wrappedKey = Data()
        sealed = Data()
    }
}
