import Fluent
import Foundation
import LanternCore
import SQLKit

/// A request to correct, erase or restrict processing, with the decision and its reason.
final class PrivacyRequest: SealedModel, @unchecked Sendable {
    static let schema = "privacy_requests"
    @ID(key: .id) var id: UUID?
    @Field(key: "reference") var reference: String
    @Field(key: "kind") var kind: String
    @Field(key: "received_on") var receivedOn: String
    @Field(key: "due_on") var dueOn: String
    @OptionalField(key: "case_id") var caseID: UUID?
    @Field(key: "decision") var decision: PrivacyDecision
    @OptionalField(key: "decided_on") var decidedOn: String?
    @OptionalField(key: "decided_by") var decidedBy: UUID?
    @OptionalField(key: "carried_out_at") var carriedOutAt: Date?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "wrapped_key") var wrappedKey: Data
    @Field(key: "sealed") var sealed: Data

    struct Secrets: Codable {
        var requester = ""
        var details = ""
        var reason = ""
    }

    static let kinds = [("rectification", "Rectification: correct inaccurate data"), ("erasure", "Erasure: delete data no longer needed"),
                        ("restriction", "Restriction: stop using the data while a question is settled")]

    init() { wrappedKey = Data(); sealed = Data() }
}

/// The decision on a request to correct, erase or restrict. Stored as its raw text.
enum PrivacyDecision: String, Codable, CaseIterable, Sendable {
    case pending, granted, partlyGranted = "partly_granted", refused

    var label: String { rawValue.replacingOccurrences(of: "_", with: " ") }
}
