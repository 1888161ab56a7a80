import Fluent
import Foundation
import LanternCore
import SQLKit

/// A person's request for a copy of what Lantern holds about them (UK GDPR Art. 15). Who they
/// are and what was found are sealed; dates and status stay clear for the deadline lists.
final class SubjectAccessRequest: SealedModel, @unchecked Sendable {
    static let schema = "subject_access_requests"
    @ID(key: .id) var id: UUID?
    @Field(key: "reference") var reference: String
    @Field(key: "status") var status: SubjectAccessStatus
    @Field(key: "received_on") var receivedOn: String
    @OptionalField(key: "identity_verified_on") var identityVerifiedOn: String?
    @OptionalField(key: "identity_verified_by") var identityVerifiedBy: UUID?
    @Field(key: "due_on") var dueOn: String
    @OptionalField(key: "extended_due_on") var extendedDueOn: String?
    @OptionalField(key: "person_told_on") var personToldOn: String?
    @OptionalField(key: "sent_on") var sentOn: String?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "wrapped_key") var wrappedKey: Data
    @Field(key: "sealed") var sealed: Data

    struct Secrets: Codable {
        var name = ""
        var aliases = ""
        var dateOfBirth = ""
        var references = ""
        var contact = ""
        /// What the search found, as reviewed: each item included or not, and the names of
        /// third parties to redact from the copy.
        var found: [PersonSearch.Found] = []
        var excluded: [String] = []
        var redact = ""
        var searchedOn = ""
        /// How identity was confirmed ("passport seen in person"), and why the deadline was
        /// extended: typed text that can name people. Optional so records sealed before they
        /// were added still open.
        var identityMethod: String?
        var extensionReason: String?
        /// Lines of other people's information the reviewer added back, as "record id#line".
        var addedBack: [String]?
    }

    init() { wrappedKey = Data(); sealed = Data() }

    /// The deadline in force: the extended one once the person has been told.
    var effectiveDue: String { extendedDueOn ?? dueOn }
    var isOpen: Bool { status != .sent && status != .withdrawn }
}

/// Where a subject access request has reached. Stored as its raw text.
enum SubjectAccessStatus: String, Codable, CaseIterable, Sendable {
    case received, review, sent, withdrawn

    var label: String {
        switch self {
        case .received: "Received"
        case .review: "Found records to review"
        case .sent: "Copy sent"
        case .withdrawn: "Withdrawn"
        }
    }
}
