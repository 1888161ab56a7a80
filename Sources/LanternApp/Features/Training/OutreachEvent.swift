import Fluent
import Foundation
import LanternCore
import SQLKit

/// A session for people outside the organisation: its audience, sector, who came from which
/// organisation, the materials used and what attendees said.
final class OutreachEvent: Model, @unchecked Sendable {
    static let schema = "outreach_events"
    @ID(key: .id) var id: UUID?
    @Field(key: "title") var title: String
    @Field(key: "held_on") var heldOn: String
    @Field(key: "audience") var audience: OutreachAudience
    @Field(key: "sector") var sector: String
    @Field(key: "delivered_by") var deliveredBy: String
    @Field(key: "materials") var materials: String
    @Field(key: "feedback_responses") var feedbackResponses: Int
    @Field(key: "feedback_useful") var feedbackUseful: Int
    @Field(key: "feedback_notes") var feedbackNotes: String
    @Field(key: "recorded_at") var recordedAt: Date
    @OptionalField(key: "recorded_by") var recordedBy: UUID?
    init() {}
}

/// How many came from one organisation (or "Members of the public").
final class OutreachAttendance: Model, @unchecked Sendable {
    static let schema = "outreach_attendance"
    @ID(key: .id) var id: UUID?
    @Parent(key: "event_id") var event: OutreachEvent
    @Field(key: "organisation") var organisation: String
    @Field(key: "attendees") var attendees: Int
    init() {}
}

struct CreateOutreach: AsyncMigration {
    var name: String { "2026-12-07-create-outreach" }

    func prepare(on database: any Database) async throws {
        try await database.schema(OutreachEvent.schema).id()
            .field("title", .string, .required).field("held_on", .string, .required).field("audience", .string, .required)
            .field("sector", .string, .required).field("delivered_by", .string, .required).field("materials", .string, .required)
            .field("feedback_responses", .int, .required).field("feedback_useful", .int, .required).field("feedback_notes", .string, .required)
            .field("recorded_at", .datetime, .required).field("recorded_by", .uuid)
            .create()
        try await database.schema(OutreachAttendance.schema).id()
            .field("event_id", .uuid, .required, .references(OutreachEvent.schema, "id", onDelete: .cascade))
            .field("organisation", .string, .required).field("attendees", .int, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "outreach_events_held_idx").on(OutreachEvent.schema).column("held_on").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutreachAttendance.schema).delete()
        try await database.schema(OutreachEvent.schema).delete()
    }
}

extension OutreachSummary {
    /// The events held from `start` to `end`, both included.
    static func load(on db: any Database, from start: Day, to end: Day) async throws -> OutreachSummary {
        let events = try await OutreachEvent.query(on: db).filter(\.$heldOn >= start.iso).filter(\.$heldOn <= end.iso).all()
        var summary = OutreachSummary()
        guard !events.isEmpty else { return summary }
        let attendance = Dictionary(grouping: try await OutreachAttendance.query(on: db).filter(\.$event.$id ~~ events.map { $0.id! }).all(),
                                    by: { $0.$event.id })
        var bySector: [String: Int] = [:]
        for e in events {
            let n = (attendance[e.id!] ?? []).reduce(0) { $0 + $1.attendees }
            summary.events += 1
            summary.attendees += n
            if e.audience == .professionals { summary.professionals += n } else { summary.community += n }
            if !e.sector.isEmpty { bySector[e.sector.lowercased(), default: 0] += n }
            summary.feedbackResponses += e.feedbackResponses
            summary.feedbackUseful += e.feedbackUseful
        }
        summary.sectors = bySector.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map(\.key)
        return summary
    }
}
