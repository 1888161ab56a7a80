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
    @Field(key: "status") var status: String
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
    var isOpen: Bool { status != "sent" && status != "withdrawn" }
}

/// A request to correct, erase or restrict processing, with the decision and its reason.
final class PrivacyRequest: SealedModel, @unchecked Sendable {
    static let schema = "privacy_requests"
    @ID(key: .id) var id: UUID?
    @Field(key: "reference") var reference: String
    @Field(key: "kind") var kind: String
    @Field(key: "received_on") var receivedOn: String
    @Field(key: "due_on") var dueOn: String
    @OptionalField(key: "case_id") var caseID: UUID?
    @Field(key: "decision") var decision: String
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

/// Every disclosure of personal data outside the organisation: to whom, what, on what lawful
/// basis, when and by whom (the privacy notice's "Sharing data").
final class Disclosure: SealedModel, @unchecked Sendable {
    static let schema = "disclosures"
    @ID(key: .id) var id: UUID?
    @Field(key: "disclosed_on") var disclosedOn: String
    @Field(key: "lawful_basis") var lawfulBasis: String
    @OptionalField(key: "case_id") var caseID: UUID?
    @OptionalField(key: "request_id") var requestID: UUID?
    @OptionalField(key: "recorded_by") var recordedBy: UUID?
    @Field(key: "recorded_at") var recordedAt: Date
    @Field(key: "wrapped_key") var wrappedKey: Data
    @Field(key: "sealed") var sealed: Data

    struct Secrets: Codable {
        var recipient = ""
        var what = ""
    }

    /// UK GDPR Art. 6(1) bases, and Art. 9(2) conditions for special category data.
    static let bases = [
        ("consent", "Consent"), ("legal_obligation", "Legal obligation (for example Duty to Notify, s52 MSA 2015)"),
        ("vital_interests", "Vital interests (a risk to life or of serious harm)"), ("public_task", "Public task (statutory safeguarding duties)"),
        ("subject_access", "The person's own subject access request"), ("legal_claims", "Legal claims or proceedings"),
    ]

    init() { wrappedKey = Data(); sealed = Data() }

    /// Logs a sharing of a case's data with a partner, as it is recorded on the case.
    static func record(on db: any Database, cipher: FieldCipher, caseID: UUID?, on day: Day, recipient: String, what: String,
                       lawfulBasis: String, by user: UUID?, at now: Date) async throws {
        let d = Disclosure()
        d.disclosedOn = day.iso
        d.lawfulBasis = lawfulBasis
        d.caseID = caseID
        d.recordedBy = user
        d.recordedAt = now
        try d.seal(.init(recipient: recipient, what: what), with: cipher)
        try await d.create(on: db)
    }
}

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

struct CreatePrivacy: AsyncMigration {
    var name: String { "2026-11-24-create-privacy" }

    func prepare(on database: any Database) async throws {
        try await database.schema(SubjectAccessRequest.schema).id()
            .field("reference", .string, .required).field("status", .string, .required).field("received_on", .string, .required)
            .field("identity_verified_on", .string).field("identity_method", .string).field("identity_verified_by", .uuid)
            .field("due_on", .string, .required).field("extended_due_on", .string).field("extension_reason", .string)
            .field("person_told_on", .string).field("sent_on", .string).field("created_at", .datetime, .required)
            .field("wrapped_key", .data, .required).field("sealed", .data, .required)
            .unique(on: "reference").create()
        try await database.schema(PrivacyRequest.schema).id()
            .field("reference", .string, .required).field("kind", .string, .required).field("received_on", .string, .required)
            .field("due_on", .string, .required).field("case_id", .uuid).field("decision", .string, .required)
            .field("decided_on", .string).field("decided_by", .uuid).field("carried_out_at", .datetime).field("created_at", .datetime, .required)
            .field("wrapped_key", .data, .required).field("sealed", .data, .required)
            .unique(on: "reference").create()
        try await database.schema(Disclosure.schema).id()
            .field("disclosed_on", .string, .required).field("lawful_basis", .string, .required).field("case_id", .uuid)
            .field("request_id", .uuid).field("recorded_by", .uuid).field("recorded_at", .datetime, .required)
            .field("wrapped_key", .data, .required).field("sealed", .data, .required)
            .create()
        try await database.schema(RetentionPeriod.schema).id()
            .field("record_type", .string, .required).field("months", .int, .required).field("changed_by", .uuid)
            .field("changed_at", .datetime, .required)
            .unique(on: "record_type").create()
        // One column per statement: SQLite alters a table one column at a time.
        try await database.schema(SafeguardingCase.schema).field("restricted_at", .datetime).update()
        try await database.schema(SafeguardingCase.schema).field("erased_at", .datetime).update()
        try await database.schema(Concern.schema).field("erased_at", .datetime).update()
        try await database.schema(CaseMarker.schema).field("review_requested_on", .string).update()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "subject_access_due_idx").on(SubjectAccessRequest.schema).column("status").column("due_on").run()
            try await sql.create(index: "disclosures_case_idx").on(Disclosure.schema).column("case_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        for schema in [SubjectAccessRequest.schema, PrivacyRequest.schema, Disclosure.schema, RetentionPeriod.schema] {
            try await database.schema(schema).delete()
        }
    }
}
