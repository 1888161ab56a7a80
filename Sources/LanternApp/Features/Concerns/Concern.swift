import Fluent
import SQLKit
import Foundation
import LanternCore
import Vapor

/// A concern reported by staff, a partner, a supplier's worker or the public.
/// Source: `shared/docs/domain/referrals.md` §3.1 and §4.1.
final class Concern: SealedModel, @unchecked Sendable {
    static let schema = "concerns"

    @ID(key: .id) var id: UUID?
    /// A human reference with no personal data in it.
    @Field(key: "reference") var reference: String
    @Field(key: "channel") var channel: ConcernChannel
    @Field(key: "status") var status: ConcernStatus
    @Field(key: "received_at") var receivedAt: Date
    @Field(key: "acknowledge_by") var acknowledgeBy: String
    @OptionalField(key: "acknowledged_at") var acknowledgedAt: Date?
    @Field(key: "subject_kind") var subject: ConcernSubject
    @OptionalField(key: "age_category") var age: AgeCategory?
    @Field(key: "child_involved") var childInvolved: Answer
    @Field(key: "immediate_danger") var immediateDanger: Bool
    /// The routes, comma-separated, children's first.
    @Field(key: "routes") var routes: String
    @OptionalField(key: "triage_outcome") var triageOutcome: TriageOutcome?
    @OptionalParent(key: "team_id") var team: Team?
    @OptionalParent(key: "handler_id") var handler: User?
    @OptionalField(key: "reported_by") var reportedBy: UUID?
    @OptionalField(key: "supplier_id") var supplierID: UUID?
    @OptionalField(key: "contract_id") var contractID: UUID?
    @OptionalField(key: "case_id") var caseID: UUID?
    /// HMAC of the anonymous reporter's receipt code; never the code.
    @OptionalField(key: "receipt_hash") var receiptHash: String?
    @OptionalField(key: "referred_out_at") var referredOutAt: Date?
    @OptionalField(key: "last_reporter_message_at") var lastReporterMessageAt: Date?
    @OptionalField(key: "erased_at") var erasedAt: Date?
    @Field(key: "wrapped_key") var wrappedKey: Data
    @Field(key: "sealed") var sealed: Data
    @OptionalField(key: "updated_at") var updatedAt: Date?

    /// Everything that could identify anyone, or says what happened: encrypted.
    struct Secrets: Codable {
        var whoAtRisk = ""
        var location = ""
        var postcode = ""
        var description = ""
        var indicators: [IndicatorObservation] = []
        var otherIndicators = ""
        var policeCalled = false
        var triageRationale = ""
        /// Who the concern was handed to and their reference (referred out).
        var referredTo = ""
        var referredReference = ""
    }

    init() {
        wrappedKey = Data()
        sealed = Data()
    }

    var routeList: [ConcernRoute] { routes.split(separator: ",").compactMap { ConcernRoute(rawValue: String($0)) } }
    var acknowledgeByDay: Day? { Day(parsing: acknowledgeBy) }
}

/// The teams a concern is shared with, one row per route: need-to-know is decided from these.
final class ConcernTeam: Model, @unchecked Sendable {
    static let schema = "concern_teams"
    @ID(key: .id) var id: UUID?
    @Parent(key: "concern_id") var concern: Concern
    @Field(key: "route") var route: ConcernRoute
    @OptionalParent(key: "team_id") var team: Team?
    init() {}
}

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

struct CreateConcerns: AsyncMigration {
    var name: String { "2026-11-24-create-concerns" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Concern.schema).id()
            .field("reference", .string, .required)
            .field("channel", .string, .required)
            .field("status", .string, .required)
            .field("received_at", .datetime, .required)
            .field("acknowledge_by", .string, .required)
            .field("acknowledged_at", .datetime)
            .field("subject_kind", .string, .required)
            .field("age_category", .string)
            .field("child_involved", .string, .required)
            .field("immediate_danger", .bool, .required)
            .field("routes", .string, .required)
            .field("triage_outcome", .string)
            .field("team_id", .uuid, .references(Team.schema, "id", onDelete: .setNull))
            .field("handler_id", .uuid, .references(User.schema, "id", onDelete: .setNull))
            .field("reported_by", .uuid)
            .field("supplier_id", .uuid)
            .field("contract_id", .uuid)
            .field("case_id", .uuid)
            .field("receipt_hash", .string)
            .field("referred_out_at", .datetime)
            .field("last_reporter_message_at", .datetime)
            .field("wrapped_key", .data, .required)
            .field("sealed", .data, .required)
            .field("updated_at", .datetime)
            .unique(on: "reference")
            .unique(on: "receipt_hash")
            .create()
        try await database.schema(ConcernTeam.schema).id()
            .field("concern_id", .uuid, .required, .references(Concern.schema, "id", onDelete: .cascade))
            .field("route", .string, .required)
            .field("team_id", .uuid, .references(Team.schema, "id", onDelete: .setNull))
            .create()
        try await database.schema(ConcernReporter.schema).id()
            .field("concern_id", .uuid, .required, .references(Concern.schema, "id", onDelete: .cascade))
            .field("wrapped_key", .data, .required)
            .field("sealed", .data, .required)
            .unique(on: "concern_id")
            .create()
        try await database.schema(ConcernMessage.schema).id()
            .field("concern_id", .uuid, .required, .references(Concern.schema, "id", onDelete: .cascade))
            .field("visibility", .string, .required)
            .field("author_id", .uuid)
            .field("sent_at", .datetime, .required)
            .field("wrapped_key", .data, .required)
            .field("sealed", .data, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            for statement in [
                "CREATE INDEX concerns_status_ack ON concerns (status, acknowledge_by)",
                "CREATE INDEX concerns_team ON concerns (team_id, received_at)",
                "CREATE INDEX concerns_handler ON concerns (handler_id, received_at)",
                "CREATE INDEX concerns_received ON concerns (received_at)",
                "CREATE INDEX concern_teams_team ON concern_teams (team_id, concern_id)",
                "CREATE INDEX concern_teams_concern ON concern_teams (concern_id)",
                "CREATE INDEX concern_messages_concern ON concern_messages (concern_id, sent_at)",
            ] { try await sql.raw(SQLQueryString(statement)).run() }
        }
    }

    func revert(on database: any Database) async throws {
        for schema in [ConcernMessage.schema, ConcernReporter.schema, ConcernTeam.schema, Concern.schema] {
            try await database.schema(schema).delete()
        }
    }
}

extension Concern: ClockStamped {
    func stamp(created: Bool, at time: Date) {
        updatedAt = time
    }
}
