import Fluent
import Foundation
import LanternCore
import SQLKit

/// A partnership meeting: its date, who is invited (people and organisations), the agenda
/// (themes, and shared cases), the minutes and decisions (sealed: they may name people), and
/// the actions given to a person or a partner organisation.
final class PartnershipMeeting: SealedModel, @unchecked Sendable {
    static let schema = "partnership_meetings"
    @ID(key: .id) var id: UUID?
    @Field(key: "title") var title: String
    @Field(key: "held_on") var heldOn: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "wrapped_key") var wrappedKey: Data
    @Field(key: "sealed") var sealed: Data

    struct Secrets: Codable {
        var minutes = ""
        var decisions: [String] = []
    }

    init() { wrappedKey = Data(); sealed = Data() }
}

/// Someone invited: a person who signs in to Lantern, or a whole partner organisation.
final class MeetingInvitee: Model, @unchecked Sendable {
    static let schema = "meeting_invitees"
    @ID(key: .id) var id: UUID?
    @Parent(key: "meeting_id") var meeting: PartnershipMeeting
    @OptionalField(key: "user_id") var userID: UUID?
    @OptionalField(key: "partner_id") var partnerID: UUID?
    init() {}
}

/// An agenda item: a theme, or a case (shown only to those entitled to it).
final class MeetingAgendaItem: Model, @unchecked Sendable {
    static let schema = "meeting_agenda_items"
    @ID(key: .id) var id: UUID?
    @Parent(key: "meeting_id") var meeting: PartnershipMeeting
    @Field(key: "position") var position: Int
    @Field(key: "theme") var theme: String
    @OptionalField(key: "case_id") var caseID: UUID?
    init() {}
}

/// An action from a meeting, owned by a person or a partner organisation; it joins the action
/// plan as a plan action.
final class MeetingAction: Model, @unchecked Sendable {
    static let schema = "meeting_actions"
    @ID(key: .id) var id: UUID?
    @Parent(key: "meeting_id") var meeting: PartnershipMeeting
    @Field(key: "title") var title: String
    @OptionalField(key: "owner_user_id") var ownerUserID: UUID?
    @OptionalField(key: "owner_partner_id") var ownerPartnerID: UUID?
    @Field(key: "due_on") var dueOn: String
    @OptionalField(key: "plan_action_id") var planActionID: UUID?
    @OptionalField(key: "done_at") var doneAt: Date?
    init() {}
}

struct CreateMeetings: AsyncMigration {
    var name: String { "2026-12-07-create-meetings" }

    func prepare(on database: any Database) async throws {
        try await database.schema(PartnershipMeeting.schema).id()
            .field("title", .string, .required).field("held_on", .string, .required)
            .field("created_at", .datetime, .required).field("created_by", .uuid)
            .field("wrapped_key", .data, .required).field("sealed", .data, .required)
            .create()
        try await database.schema(MeetingInvitee.schema).id()
            .field("meeting_id", .uuid, .required, .references(PartnershipMeeting.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid).field("partner_id", .uuid)
            .create()
        try await database.schema(MeetingAgendaItem.schema).id()
            .field("meeting_id", .uuid, .required, .references(PartnershipMeeting.schema, "id", onDelete: .cascade))
            .field("position", .int, .required).field("theme", .string, .required).field("case_id", .uuid)
            .create()
        try await database.schema(MeetingAction.schema).id()
            .field("meeting_id", .uuid, .required, .references(PartnershipMeeting.schema, "id", onDelete: .cascade))
            .field("title", .string, .required).field("owner_user_id", .uuid).field("owner_partner_id", .uuid)
            .field("due_on", .string, .required).field("plan_action_id", .uuid).field("done_at", .datetime)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "meeting_invitees_meeting_idx").on(MeetingInvitee.schema).column("meeting_id").run()
            try await sql.create(index: "meeting_actions_owner_idx").on(MeetingAction.schema).column("owner_user_id").column("due_on").run()
        }
    }

    func revert(on database: any Database) async throws {
        for schema in [MeetingAction.schema, MeetingAgendaItem.schema, MeetingInvitee.schema, PartnershipMeeting.schema] {
            try await database.schema(schema).delete()
        }
    }
}
