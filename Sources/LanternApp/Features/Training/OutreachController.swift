import Fluent
import Foundation
import LanternCore
import Vapor

/// Sessions for local professionals and community groups: recorded by the training manager,
/// read by everyone who sees training, and reported in the annual statement.
struct OutreachController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.requiring(.viewTraining).get("training", "outreach", use: list)
        routes.requiring(.viewTraining).get("training", "outreach", ":eventID", use: show)
        routes.requiring(.manageTraining).post("training", "outreach", use: create)
    }

    struct Row: Encodable { let id: String; let title: String; let held: String; let audience: String; let sector: String; let attendees: Int; let feedback: String }

    struct ListView: Encodable {
        let rows: [Row]
        let total: Int
        let canManage: Bool
        let audiences: [SelectOption]
        let typed: TypedForm
        let errors: FormErrors
    }

    private func list(_ req: Request, typed: TypedForm = TypedForm()) async throws -> Response {
        let events = try await OutreachEvent.query(on: req.db).sort(\.$heldOn, .descending).sort(\.$id).limit(500).all()
        let attendance = Dictionary(grouping: try await OutreachAttendance.query(on: req.db).filter(\.$event.$id ~~ events.map { $0.id! }).all(), by: { $0.$event.id })
        let rows = events.map { e in
            Row(id: e.id!.uuidString, title: e.title, held: Day(parsing: e.heldOn)?.long ?? e.heldOn, audience: e.audience.label, sector: e.sector,
                attendees: (attendance[e.id!] ?? []).reduce(0) { $0 + $1.attendees },
                feedback: e.feedbackResponses == 0 ? "None recorded" : "\(e.feedbackUseful) of \(e.feedbackResponses) found it useful")
        }
        let chosen = typed.values["audience"] ?? ""
        let view = ListView(rows: rows, total: rows.reduce(0) { $0 + $1.attendees }, canManage: req.currentUser!.can(.manageTraining),
                            audiences: OutreachAudience.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == chosen) },
                            typed: typed, errors: typed.errors)
        return try await req.render("Training/outreach", view, title: "Training beyond staff", status: typed.errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func list(req: Request) async throws -> Response { try await list(req) }

    struct EventForm: Content {
        @FormField var title: String = ""
        @FormField var held_on: String = ""
        @FormField var audience: String = ""
        @FormField var sector: String = ""
        @FormField var delivered_by: String = ""
        @FormField var materials: String = ""
        @FormField var attendees: String = ""
        @FormField var feedback_responses: String = ""
        @FormField var feedback_useful: String = ""
        @FormField var feedback_notes: String = ""
    }

    /// "Organisation: number" lines, each checked.
    static func attendance(_ text: String, _ errors: inout FormErrors) -> [(String, Int)] {
        var result: [(String, Int)] = []
        var seen = Set<String>()
        for (i, raw) in text.split(whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { continue }
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 200, let n = Int(parts[1]), (1...10_000).contains(n) else {
                errors.add("attendees", "Line \(i + 1) of the attendees, '\(line.prefix(60))', is not an organisation and a number from 1, like St Mary's GP surgery: 12")
                continue
            }
            guard seen.insert(parts[0].lowercased()).inserted else { errors.add("attendees", "Line \(i + 1): \(parts[0]) is given twice"); continue }
            result.append((parts[0], n))
        }
        return result
    }

    func create(req: Request) async throws -> Response {
        let form = try req.form(EventForm.self)
        var typed = TypedForm(section: "event", form: form)
        if form.title.isEmpty { typed.errors.add("title", "Enter what the session was called") }
        else if form.title.count > 200 { typed.errors.add("title", "The title must be 200 characters or fewer") }
        let held = Day(parsing: form.held_on)
        if held == nil { typed.errors.add("held_on", "Enter the day it was held, like 2026-10-14") }
        else if req.today < held! { typed.errors.add("held_on", "Record a session once it has been held: the day can be \(req.today.iso) at the latest") }
        let audience = OutreachAudience(rawValue: form.audience)
        if audience == nil { typed.errors.add("audience", "Choose who the session was for") }
        for (field, value, limit) in [("sector", form.sector, 100), ("delivered_by", form.delivered_by, 200), ("materials", form.materials, 2000),
                                      ("feedback_notes", form.feedback_notes, 4000)] where value.count > limit {
            typed.errors.add(field, "This must be \(limit) characters or fewer")
        }
        let people = Self.attendance(form.attendees, &typed.errors)
        if people.isEmpty, typed.errors.byField["attendees"] == nil { typed.errors.add("attendees", "Enter who came: an organisation and a number on each line") }
        let total = people.reduce(0) { $0 + $1.1 }
        let responses = form.feedback_responses.isEmpty ? 0 : Int(form.feedback_responses)
        let useful = form.feedback_useful.isEmpty ? 0 : Int(form.feedback_useful)
        if responses == nil || responses! < 0 { typed.errors.add("feedback_responses", "Enter how many gave feedback, as a whole number") }
        else if responses! > total, total > 0 { typed.errors.add("feedback_responses", "More gave feedback (\(responses!)) than attended (\(total))") }
        if useful == nil || useful! < 0 { typed.errors.add("feedback_useful", "Enter how many found it useful, as a whole number") }
        else if let responses, useful! > responses { typed.errors.add("feedback_useful", "More found it useful (\(useful!)) than gave feedback (\(responses))") }
        guard typed.errors.isEmpty, let held, let audience, let responses, let useful else { return try await list(req, typed: typed) }
        let event = OutreachEvent()
        event.title = form.title; event.heldOn = held.iso; event.audience = audience; event.sector = form.sector
        event.deliveredBy = form.delivered_by; event.materials = form.materials
        event.feedbackResponses = responses; event.feedbackUseful = useful; event.feedbackNotes = form.feedback_notes
        event.recordedAt = req.lantern.now(); event.recordedBy = req.currentUser?.id
        try await req.db.writeTransaction { db in
            try await event.create(on: db)
            for (organisation, n) in people {
                let a = OutreachAttendance()
                a.$event.id = event.id!; a.organisation = organisation; a.attendees = n
                try await a.create(on: db)
            }
            try await req.audit(.create, .outreachEvent, id: event.id!.uuidString, detail: "\(event.title), \(total) attendees", on: db)
        }
        return req.redirect(to: "/training/outreach/\(event.id!.uuidString)", saying: "\(event.title) recorded: \(total) \(total == 1 ? "person" : "people") attended.")
    }

    func show(req: Request) async throws -> Response {
        guard let id = req.parameters.get("eventID", as: UUID.self), let event = try await OutreachEvent.find(id, on: req.db) else { throw LanternError.notFound }
        let attendance = try await OutreachAttendance.query(on: req.db).filter(\.$event.$id == id).sort(\.$attendees, .descending).sort(\.$organisation).all()
        struct Attended: Encodable { let organisation: String; let attendees: Int }
        struct View: Encodable {
            let title: String; let held: String; let audience: String; let sector: String; let deliveredBy: String; let materials: String
            let attendance: [Attended]; let total: Int; let feedback: String; let notes: String
        }
        let total = attendance.reduce(0) { $0 + $1.attendees }
        return try await req.render("Training/outreach-event", View(
            title: event.title, held: Day(parsing: event.heldOn)?.long ?? event.heldOn, audience: event.audience.label, sector: event.sector,
            deliveredBy: event.deliveredBy, materials: event.materials, attendance: attendance.map { Attended(organisation: $0.organisation, attendees: $0.attendees) },
            total: total, feedback: event.feedbackResponses == 0 ? "None recorded" : "\(event.feedbackUseful) of \(event.feedbackResponses) who gave feedback found it useful",
            notes: event.feedbackNotes), title: event.title)
    }
}
