import Fluent
import Foundation
import LanternCore
import Vapor

/// Partnership meetings. The organisers (safeguarding leads and analysts) set them up, write the
/// minutes and give actions; each invitee sees the meetings they are invited to, the agenda items
/// they are entitled to (a case only where they may open it, or where it is shared with their
/// organisation), and the actions given to them or their organisation.
struct MeetingsController: RouteCollection {
    /// More shared cases than one meeting can discuss is a mistake in the list, and each costs a check.
    static let maxAgendaCases = 50

    func boot(routes: any RoutesBuilder) throws {
        let attend = routes.requiring(.attendMeetings).grouped("meetings")
        attend.get(use: list)
        attend.get(":meetingID", use: show)
        attend.post(":meetingID", "actions", ":actionID", "done", use: done)
        let manage = routes.requiring(.manageMeetings).grouped("meetings")
        manage.get("new", use: new)
        manage.post(use: create)
        manage.post(":meetingID", "minutes", use: minutes)
        manage.post(":meetingID", "actions", use: addAction)
    }

    // MARK: Who sees what

    /// The meetings this person may open: all of them for an organiser, else those they or their
    /// organisation are invited to.
    static func visible(_ req: Request) async throws -> Set<UUID>? {
        let user = req.currentUser!
        if user.can(.manageMeetings) { return nil }
        let invited = try await MeetingInvitee.query(on: req.db).group(.or) { either in
            either.filter(\.$userID == user.id!)
            if let partner = user.partnerID { either.filter(\.$partnerID == partner) }
        }.all()
        return Set(invited.map { $0.$meeting.id })
    }

    private func find(_ req: Request) async throws -> PartnershipMeeting {
        guard let id = req.parameters.get("meetingID", as: UUID.self), let meeting = try await PartnershipMeeting.find(id, on: req.db),
              try await Self.visible(req).map({ $0.contains(id) }) ?? true else { throw LanternError.notFound }
        return meeting
    }

    /// Whether this person may see a case on an agenda.
    static func entitled(to caseID: UUID, _ req: Request) async throws -> Bool {
        let user = req.currentUser!
        if let partner = user.partnerID {
            return try await CaseSharingController.live(req).contains { $0.caseID == caseID && $0.$partner.id == partner }
        }
        guard user.can(.viewCases), let c = try await SafeguardingCase.rows([.equals("id", caseID)], on: req.db).first else { return false }
        return NeedToKnow.mayOpen(c, user)
    }

    /// "user:<id>" or "partner:<id>" as a name.
    static func ownerName(_ action: MeetingAction, users: [UUID: String], partners: [UUID: String]) -> String {
        if let u = action.ownerUserID { return users[u] ?? "Unknown" }
        if let p = action.ownerPartnerID { return partners[p] ?? "Unknown" }
        return "No one"
    }

    // MARK: Pages

    struct ActionRow: Encodable { let id: String; let meetingID: String; let title: String; let owner: String; let due: String; let status: String; let mine: Bool }

    func list(req: Request) async throws -> Response {
        let visible = try await Self.visible(req)
        var query = PartnershipMeeting.query(on: req.db).sort(\.$heldOn, .descending).sort(\.$id)
        if let visible { query = query.filter(\.$id ~~ Array(visible)) }
        let meetings = visible?.isEmpty == true ? [] : try await query.limit(200).all()
        struct Row: Encodable { let id: String; let title: String; let held: String }
        let user = req.currentUser!
        let mine = try await MeetingAction.query(on: req.db).filter(\.$doneAt == nil).group(.or) { either in
            either.filter(\.$ownerUserID == user.id!)
            if let partner = user.partnerID { either.filter(\.$ownerPartnerID == partner) }
        }.sort(\.$dueOn).all()
        let partners = Dictionary(try await PartnerOrganisation.query(on: req.db).all().map { ($0.id!, $0.name) }, uniquingKeysWith: { a, _ in a })
        struct View: Encodable { let rows: [Row]; let actions: [ActionRow]; let canManage: Bool }
        let view = View(rows: meetings.map { Row(id: $0.id!.uuidString, title: $0.title, held: Day(parsing: $0.heldOn)?.long ?? $0.heldOn) },
                        actions: mine.map { a in
                            ActionRow(id: a.id!.uuidString, meetingID: a.$meeting.id.uuidString, title: a.title,
                                      owner: Self.ownerName(a, users: [user.id!: user.displayName], partners: partners),
                                      due: Day(parsing: a.dueOn)?.long ?? a.dueOn, status: "Open", mine: true)
                        },
                        canManage: user.can(.manageMeetings))
        return try await req.render("Partnership/meetings", view, title: "Partnership meetings")
    }

    struct NewView: Encodable {
        let people: [SelectOption]
        let partners: [SelectOption]
        let typed: TypedForm
        let errors: FormErrors
    }

    private func newForm(_ req: Request, typed: TypedForm = TypedForm(), chosen: Set<String> = []) async throws -> Response {
        let people = try await User.query(on: req.db).filter(\.$isActive == true).filter(\.$serviceAccount != true).sort(\.$displayName).all()
        let partners = try await PartnerOrganisation.query(on: req.db).filter(\.$isActive == true).sort(\.$name).all()
        let view = NewView(
            people: people.map { SelectOption(value: "user:\($0.id!.uuidString)", label: "\($0.displayName) (\($0.role.displayName))", selected: chosen.contains("user:\($0.id!.uuidString)")) },
            partners: partners.map { SelectOption(value: "partner:\($0.id!.uuidString)", label: $0.name, selected: chosen.contains("partner:\($0.id!.uuidString)")) },
            typed: typed, errors: typed.errors)
        return try await req.render("Partnership/meeting-new", view, title: "Arrange a partnership meeting", status: typed.errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func new(req: Request) async throws -> Response { try await newForm(req) }

    struct MeetingForm: Content { var title: String?; var held_on: String?; var invitees: [String]?; var themes: String?; var cases: String? }

    func create(req: Request) async throws -> Response {
        let form = try req.form(MeetingForm.self)
        func text(_ v: String?) -> String { (v ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        var typed = TypedForm(section: "meeting", values: ["title": text(form.title), "held_on": text(form.held_on), "themes": text(form.themes), "cases": text(form.cases)])
        let title = text(form.title)
        if title.isEmpty { typed.errors.add("title", "Enter what the meeting is") } else if title.count > 200 { typed.errors.add("title", "The title must be 200 characters or fewer") }
        let held = Day(parsing: text(form.held_on))
        if held == nil { typed.errors.add("held_on", "Enter the day of the meeting, like 2026-12-15") }
        let invitees = Set(form.invitees ?? [])
        var users: [UUID] = [], partners: [UUID] = []
        for value in invitees.sorted() {
            let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let id = UUID(uuidString: parts[1]) else { continue }
            if parts[0] == "user" { users.append(id) } else if parts[0] == "partner" { partners.append(id) }
        }
        let knownUsers = users.isEmpty ? 0 : try await User.query(on: req.db).filter(\.$id ~~ users).count()
        let knownPartners = partners.isEmpty ? 0 : try await PartnerOrganisation.query(on: req.db).filter(\.$id ~~ partners).count()
        if knownUsers != users.count || knownPartners != partners.count { typed.errors.add("invitees", "Choose invitees from the lists") }
        if users.isEmpty && partners.isEmpty { typed.errors.add("invitees", "Invite at least one person or organisation") }
        let themes = text(form.themes).split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if themes.contains(where: { $0.count > 300 }) { typed.errors.add("themes", "Each theme must be 300 characters or fewer") }
        // Cases by reference, read in one query: the organiser must be able to open each one.
        var caseIDs: [(UUID, String)] = []
        let references = text(form.cases).split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces).uppercased() }.filter { !$0.isEmpty }
        if references.count > Self.maxAgendaCases {
            typed.errors.add("cases", "A meeting's agenda takes up to \(Self.maxAgendaCases) cases; this lists \(references.count)")
        } else {
            let found = references.isEmpty ? [] : try await SafeguardingCase.query(on: req.db).filter(\.$reference ~~ references).all()
            for (i, reference) in references.enumerated() {
                guard let c = found.first(where: { $0.reference == reference }), NeedToKnow.mayOpen(c, req.currentUser!) else {
                    typed.errors.add("cases", "Line \(i + 1) of the cases: there is no case \(reference.prefix(40)) that you may open"); continue
                }
                if !caseIDs.contains(where: { $0.0 == c.id }) { caseIDs.append((c.id!, c.reference)) }
            }
        }
        guard typed.errors.isEmpty, let held else { return try await newForm(req, typed: typed, chosen: invitees) }
        let (invitedUsers, invitedPartners, agendaCases) = (users, partners, caseIDs)
        let meeting = PartnershipMeeting()
        meeting.title = title; meeting.heldOn = held.iso; meeting.createdAt = req.lantern.now(); meeting.createdBy = req.currentUser?.id
        try meeting.seal(.init(), with: req.cipher)
        try await req.db.writeTransaction { db in
            try await meeting.create(on: db)
            for u in invitedUsers { let i = MeetingInvitee(); i.$meeting.id = meeting.id!; i.userID = u; try await i.create(on: db) }
            for p in invitedPartners { let i = MeetingInvitee(); i.$meeting.id = meeting.id!; i.partnerID = p; try await i.create(on: db) }
            var position = 0
            for theme in themes { position += 1; let a = MeetingAgendaItem(); a.$meeting.id = meeting.id!; a.position = position; a.theme = theme; try await a.create(on: db) }
            for (id, reference) in agendaCases {
                position += 1
                let a = MeetingAgendaItem(); a.$meeting.id = meeting.id!; a.position = position; a.theme = "Case \(reference)"; a.caseID = id
                try await a.create(on: db)
            }
            try await req.audit(.create, .partnershipMeeting, id: meeting.id!.uuidString, detail: "\(invitedUsers.count) people, \(invitedPartners.count) organisations invited", on: db)
        }
        return req.redirect(to: "/meetings/\(meeting.id!.uuidString)", saying: "Meeting arranged for \(held.long).")
    }

    func show(req: Request) async throws -> Response {
        try await show(req, typed: TypedForm())
    }

    private func show(_ req: Request, typed: TypedForm) async throws -> Response {
        let meeting = try await find(req)
        let user = req.currentUser!
        let secrets = try meeting.open(with: req.cipher)
        let invitees = try await MeetingInvitee.query(on: req.db).filter(\.$meeting.$id == meeting.id!).all()
        let userNames = Dictionary(try await User.query(on: req.db).filter(\.$id ~~ invitees.compactMap(\.userID)).all().map { ($0.id!, $0.displayName) }, uniquingKeysWith: { a, _ in a })
        let partnerList = try await PartnerOrganisation.query(on: req.db).sort(\.$name).all()
        let partnerNames = Dictionary(partnerList.map { ($0.id!, $0.name) }, uniquingKeysWith: { a, _ in a })
        var agenda: [String] = []
        var hidden = 0
        for item in try await MeetingAgendaItem.query(on: req.db).filter(\.$meeting.$id == meeting.id!).sort(\.$position).all() {
            if let c = item.caseID, !(try await Self.entitled(to: c, req)) { hidden += 1; continue }
            agenda.append(item.theme)
        }
        let actions = try await MeetingAction.query(on: req.db).filter(\.$meeting.$id == meeting.id!).sort(\.$dueOn).sort(\.$id).all()
        let actionOwners = Dictionary(try await User.query(on: req.db).filter(\.$id ~~ actions.compactMap(\.ownerUserID)).all().map { ($0.id!, $0.displayName) }, uniquingKeysWith: { a, _ in a })
        try await req.audit(.read, .partnershipMeeting, id: meeting.id!.uuidString)
        struct View: Encodable {
            let id: String; let title: String; let held: String; let people: [String]; let organisations: [String]
            let agenda: [String]; let hiddenItems: Int; let minutes: String; let decisions: [String]; let actions: [ActionRow]
            let canManage: Bool; let owners: [SelectOption]; let areas: [SelectOption]; let typed: TypedForm; let errors: FormErrors
        }
        let canManage = user.can(.manageMeetings)
        let chosenOwner = typed.values["owner"] ?? ""
        let owners = invitees.compactMap { i -> SelectOption? in
            if let u = i.userID, let name = userNames[u] { return SelectOption(value: "user:\(u.uuidString)", label: name, selected: chosenOwner == "user:\(u.uuidString)") }
            if let p = i.partnerID, let name = partnerNames[p] { return SelectOption(value: "partner:\(p.uuidString)", label: name, selected: chosenOwner == "partner:\(p.uuidString)") }
            return nil
        }.sorted { $0.label < $1.label }
        return try await req.render("Partnership/meeting", View(
            id: meeting.id!.uuidString, title: meeting.title, held: Day(parsing: meeting.heldOn)?.long ?? meeting.heldOn,
            people: invitees.compactMap { $0.userID.flatMap { userNames[$0] } }.sorted(),
            organisations: invitees.compactMap { $0.partnerID.flatMap { partnerNames[$0] } }.sorted(),
            agenda: agenda, hiddenItems: hidden, minutes: secrets.minutes, decisions: secrets.decisions,
            actions: actions.map { a in
                let mine = a.ownerUserID == user.id || (a.ownerPartnerID != nil && a.ownerPartnerID == user.partnerID)
                return ActionRow(id: a.id!.uuidString, meetingID: meeting.id!.uuidString, title: a.title,
                                 owner: Self.ownerName(a, users: actionOwners, partners: partnerNames), due: Day(parsing: a.dueOn)?.long ?? a.dueOn,
                                 status: a.doneAt.map { "Done \(DisplayDate.date($0))" } ?? "Open", mine: a.doneAt == nil && (mine || canManage))
            },
            canManage: canManage, owners: [SelectOption(value: "", label: "Choose who owns it", selected: chosenOwner.isEmpty)] + owners,
            areas: PlanArea.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: (typed.values["area"] ?? PlanArea.response.rawValue) == $0.rawValue) },
            typed: typed.section.isEmpty ? TypedForm(section: "", values: ["minutes": secrets.minutes, "decisions": secrets.decisions.joined(separator: "\n")]) : typed,
            errors: typed.errors), title: meeting.title, status: typed.errors.isEmpty ? .ok : .unprocessableEntity)
    }

    struct MinutesForm: Content { @FormField var minutes: String = ""; @FormField var decisions: String = "" }

    func minutes(req: Request) async throws -> Response {
        let meeting = try await find(req)
        let form = try req.form(MinutesForm.self)
        var typed = TypedForm(section: "minutes", form: form)
        if form.minutes.count > 50_000 { typed.errors.add("minutes", "The minutes must be 50,000 characters or fewer") }
        guard typed.errors.isEmpty else { return try await show(req, typed: typed) }
        let decisions = form.decisions.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        try meeting.seal(.init(minutes: form.minutes, decisions: decisions), with: req.cipher)
        try await req.write(meeting, .update, .partnershipMeeting, detail: "minutes, \(decisions.count) decisions")
        return req.redirect(to: "/meetings/\(meeting.id!.uuidString)", saying: "Minutes saved.")
    }

    struct ActionForm: Content { @FormField var title: String = ""; @FormField var owner: String = ""; @FormField var due_on: String = ""; @FormField var area: String = "" }

    func addAction(req: Request) async throws -> Response {
        let meeting = try await find(req)
        let form = try req.form(ActionForm.self)
        var typed = TypedForm(section: "action", form: form)
        if form.title.isEmpty { typed.errors.add("title", "Say what is to be done") } else if form.title.count > 300 { typed.errors.add("title", "The action must be 300 characters or fewer") }
        let due = Day(parsing: form.due_on)
        if due == nil { typed.errors.add("due_on", "Enter the day it is due, like 2027-01-31") }
        let area = PlanArea(rawValue: form.area) ?? .response
        let invitees = try await MeetingInvitee.query(on: req.db).filter(\.$meeting.$id == meeting.id!).all()
        let parts = form.owner.split(separator: ":", maxSplits: 1).map(String.init)
        let ownerID = parts.count == 2 ? UUID(uuidString: parts[1]) : nil
        var owner = ""
        if parts.first == "user", let ownerID, invitees.contains(where: { $0.userID == ownerID }), let u = try await User.find(ownerID, on: req.db) { owner = u.displayName }
        else if parts.first == "partner", let ownerID, invitees.contains(where: { $0.partnerID == ownerID }), let p = try await PartnerOrganisation.find(ownerID, on: req.db) { owner = p.name }
        else { typed.errors.add("owner", "Choose who owns the action: someone invited to the meeting") }
        guard typed.errors.isEmpty, let due, let ownerID else { return try await show(req, typed: typed) }
        let ownerName = owner
        let action = MeetingAction()
        action.$meeting.id = meeting.id!
        action.title = form.title
        if parts[0] == "user" { action.ownerUserID = ownerID } else { action.ownerPartnerID = ownerID }
        action.dueOn = due.iso
        let now = req.lantern.now()
        let organisation = try await req.organisation()
        let year = organisation?.currentFinancialYear(now: due.noon) ?? FinancialYear.containing(due.noon)
        try await req.db.writeTransaction { db in
            // It joins the action plan of the year it falls due in.
            let plan = PlanAction()
            plan.planYear = year.endYear; plan.area = area; plan.title = form.title
            plan.detail = "From the partnership meeting \(meeting.title), \(Day(parsing: meeting.heldOn)?.long ?? meeting.heldOn)."
            plan.owner = ownerName; plan.dueOn = due.iso; plan.status = .notStarted; plan.businessAsUsual = false
            plan.createdAt = now; plan.updatedAt = now
            try await plan.create(on: db)
            action.planActionID = plan.id
            try await action.create(on: db)
            try await req.audit(.create, .partnershipMeeting, id: meeting.id!.uuidString, detail: "action for \(ownerName), due \(due.iso)", on: db)
        }
        return req.redirect(to: "/meetings/\(meeting.id!.uuidString)#actions", saying: "Action given to \(ownerName), due \(due.long). It is on the action plan.")
    }

    func done(req: Request) async throws -> Response {
        let meeting = try await find(req)
        let user = req.currentUser!
        guard let id = req.parameters.get("actionID", as: UUID.self),
              let action = try await MeetingAction.query(on: req.db).filter(\.$id == id).filter(\.$meeting.$id == meeting.id!).first(),
              user.can(.manageMeetings) || action.ownerUserID == user.id || (action.ownerPartnerID != nil && action.ownerPartnerID == user.partnerID) else {
            throw LanternError.notFound
        }
        guard action.doneAt == nil else { return req.redirect(to: "/meetings/\(meeting.id!.uuidString)#actions", saying: "That action was already done.") }
        let now = req.lantern.now()
        action.doneAt = now
        try await req.db.writeTransaction { db in
            try await action.save(on: db)
            if let planID = action.planActionID, let plan = try await PlanAction.find(planID, on: db) {
                plan.status = .done; plan.updatedAt = now
                try await plan.save(on: db)
            }
            try await req.audit(.update, .partnershipMeeting, id: meeting.id!.uuidString, detail: "action done: \(id.uuidString)", on: db)
        }
        return req.redirect(to: "/meetings/\(meeting.id!.uuidString)#actions", saying: "Action marked done.")
    }
}
