import Fluent
import Foundation
import LanternCore
import Vapor

/// The case page: the person, what must happen next, markers, consent, NRM and Duty to Notify,
/// local actions, tasks, notes, evidence and a timeline of everything. Every view is audited.
struct CasePage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.requiring(.viewCases).get("cases", ":caseID", use: show)
    }

    /// A table row; the cells reach the view as `c0`, `c1` … because Leaf has no subscripts.
    struct Row: Encodable {
        var id = ""
        var cells: [String] = []
        var flag = ""
        var open = false

        private struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(id, forKey: Key(stringValue: "id"))
            try c.encode(flag, forKey: Key(stringValue: "flag"))
            try c.encode(open, forKey: Key(stringValue: "open"))
            for (i, cell) in cells.enumerated() { try c.encode(cell, forKey: Key(stringValue: "c\(i)")) }
        }
    }

    struct HomeOfficeReferralView: Encodable {
        let id: String
        let kind: String
        let state: String
        let stateKey: String
        let reference: String
        let deadline: String
        let overdue: Bool
        let anonymous: Bool
        let next: [SelectOption]
        let history: [Row]
    }

    struct TimelineEntry: Encodable {
        let at: String
        let what: String
        let by: String
        let sortKey: Date
    }

    struct View: Encodable {
        let id: String
        let reference: String
        let status: String
        let person: [Row]
        let guidance: String
        let alerts: [String]
        let markers: [Row]
        let consents: [Row]
        let notifications: [HomeOfficeReferralView]
        let actions: [Row]
        let tasks: [Row]
        let notes: [Row]
        let files: [EvidenceStore.Row]
        let timeline: [TimelineEntry]
        let canEdit: Bool
        let typed: TypedForm
        /// The open form's errors, for the summary at the top of the page.
        let errors: FormErrors
        let markerKinds: [SelectOption]
        let consentPurposes: [SelectOption]
        let consentMethods: [SelectOption]
        let actionKinds: [SelectOption]
        let mayNotify: Bool
        let consentWording: String
        let today: String
        /// Who the case is shared with, and the form to share it.
        let sharing: CaseSharingController.Section
    }

    func show(req: Request) async throws -> Response {
        let c = try await NeedToKnow.requireCase(req)
        try await req.audit(.read, .case, id: c.id?.uuidString)
        return try await Self.render(req, c, typed: TypedForm())
    }

    static func render(_ req: Request, _ c: SafeguardingCase, typed: TypedForm, status: HTTPResponseStatus = .ok) async throws -> Response {
        let cipher = req.cipher
        let s = try c.open(with: cipher)
        let caseKey = try c.unwrappedKey(with: cipher)
        let id = c.id!
        let today = req.today
        // Read with fixed statements (`RowDecodable.rows`): this is the page caseworkers open most.
        let reads = req.reads
        let notes = try await CaseNote.rows([.equals("case_id", id)], orderBy: ["written_at DESC"], on: reads)
        let tasks = try await CaseTask.rows([.equals("case_id", id)], orderBy: ["due_on"], on: reads)
        let markers = try await CaseMarker.rows([.equals("case_id", id)], orderBy: ["set_at"], on: reads)
        let consents = try await CaseConsent.rows([.equals("case_id", id)], orderBy: ["recorded_at"], on: reads)
        let actions = try await CaseAction.rows([.equals("case_id", id)], orderBy: ["sent_on"], on: reads)
        let notifications = try await HomeOfficeReferral.rows([.equals("case_id", id)], orderBy: ["started_on"], on: reads)
        let transitions = try await HomeOfficeReferralTransition.rows([.oneOf("notification_id", notifications.compactMap(\.id))],
                                                                      orderBy: ["recorded_at"], on: reads)
        let fileRecords = try await EvidenceFile.rows([.equals("owner_type", EvidenceFile.Owner.case.rawValue), .equals("owner_id", id)],
                                                      orderBy: ["uploaded_at"], on: reads)
        let files = try EvidenceStore.rows(req, fileRecords)
        var userIDs = Set<UUID>([c.$owner.id].compactMap { $0 })
        userIDs.formUnion(notes.compactMap(\.authorID))
        userIDs.formUnion(markers.map(\.setBy))
        userIDs.formUnion(consents.map(\.recordedBy))
        userIDs.formUnion(actions.map(\.recordedBy))
        userIDs.formUnion(transitions.map(\.recordedBy))
        userIDs.formUnion(fileRecords.compactMap(\.uploadedBy))
        let names = try await User.displayNames(of: userIDs, on: reads)
        let name: (UUID?) -> String = { uid in uid.flatMap { names[$0] } ?? "Unknown" }
        let organisation = try await req.organisation()
        let team = try await c.$team.id.asyncFlatMap { try await Team.rows([.equals("id", $0)], on: reads).first }

        var person: [Row] = [
            Row(cells: ["Name", "\(s.firstName) \(s.lastName)"]),
            Row(cells: ["Other names", [s.aliases, s.nickname.isEmpty ? "" : "known during the exploitation as \(s.nickname)"].filter { !$0.isEmpty }.joined(separator: "; ")]),
            Row(cells: ["Date of birth", s.dateOfBirth.isEmpty ? "Not known" : (Day(parsing: s.dateOfBirth).map { dob in "\(dob.long) (age \(Self.age(dob, today)))" } ?? s.dateOfBirth)]),
            Row(cells: ["Age", c.age.label + (c.age == .notSure ? " (treated as a child until a local-authority age assessment)" : "")]),
            Row(cells: ["Under 18 at the time of exploitation", c.under18AtExploitation.label]),
            Row(cells: ["Gender", c.gender.label]),
            Row(cells: ["Nationality", [c.nationality, c.secondNationality].compactMap { $0 }.joined(separator: " and ")]),
            Row(cells: ["Contact", [s.phone, s.email, s.address].filter { !$0.isEmpty }.joined(separator: "; ")]),
            Row(cells: ["Safe contact arrangements", s.safeToContact]),
            Row(cells: ["Interpreter", s.interpreterLanguage.isEmpty ? "Not needed" : s.interpreterLanguage]),
            Row(cells: ["Exploitation", c.types.map(\.label).joined(separator: "; ") + (c.countyLines ? " (county lines)" : "")]),
            Row(cells: ["Where", c.location.label + ([s.ukTowns, s.overseasCountries].filter { !$0.isEmpty }.isEmpty ? "" : ": " + [s.ukTowns, s.overseasCountries].filter { !$0.isEmpty }.joined(separator: "; "))]),
            Row(cells: ["Area", c.area ?? ""]),
            Row(cells: ["Owner", name(c.$owner.id) + (team.map { " (\($0.name))" } ?? "")]),
        ]
        person = person.filter { !$0.cells[1].isEmpty }
        if !s.exploitationSummary.isEmpty { person.append(Row(cells: ["Account", s.exploitationSummary])) }
        if let former = s.formerReference { person.append(Row(cells: ["Reference in the former system", former])) }
        if !s.indicators.isEmpty {
            person.append(Row(cells: ["Indicators seen", s.indicators.compactMap { o in
                IndicatorCatalogue.byID[o.indicatorID].map { "\($0.label) (\(o.source.label.lowercased())\(o.context.isEmpty ? "" : ": \(o.context)"))" }
            }.joined(separator: "; ")]))
        }

        let nrmConsent = consents.last { $0.purpose == "nrm" && $0.withdrawnOn == nil }?.decision
        let decision = VictimDecision.decide(isFirstResponder: organisation?.isFirstResponder ?? false, age: c.age,
                                             nrmConsent: nrmConsent, willingToCooperate: c.willingToCooperate)

        // A child who turns 18 before the Conclusive Grounds decision must consent to stay in the
        // NRM; warn 90 days ahead (`referrals.md` §4.2, consentRequiredAt18).
        var alerts: [String] = []
        if let dob = Day(parsing: s.dateOfBirth), c.age == .under18 {
            let eighteenth = dob.adding(months: 18 * 12)
            let openReferral = notifications.contains { $0.kind == .nrm && [.submitted, .awaitingRG, .rgPositive, .recoveryPeriod, .awaitingCG].contains($0.state) }
            if openReferral, today.adding(days: NRMLifecycle.turning18AlertDays) >= eighteenth {
                alerts.append("Turns 18 on \(eighteenth.long), before a Conclusive Grounds decision: they must then consent to stay in the NRM (and separately to MSVCC support) or withdraw.")
            }
        }
        if let restricted = c.restrictedAt { alerts.append("Processing restricted since \(DisplayDate.date(restricted)) at the person's request: the case can be read but not changed.") }
        if c.age == .notSure { alerts.append("Age not known: ask the local authority for an age assessment. Until then the person is treated as a child.") }
        // Possible duplicates are shown only to those who see every case (the safeguarding leads).
        if let index = c.personIndex, req.currentUser?.can(.overseeAllCases) == true {
            let others = try await SafeguardingCase.query(on: req.db).filter(\.$personIndex == index).filter(\.$id != c.id!).sort(\.$reference).all()
            for other in others {
                let team = try await other.$team.get(on: req.db)?.name ?? "no team"
                alerts.append("Possible duplicate: \(other.reference) (\(team)) has the same surname and date of birth. Check whether they are the same person.")
            }
        }

        // Once erased, nothing more is asked of anyone about the person: no guidance, deadlines or prompts.
        let erased = c.erasedAt != nil
        if let at = c.erasedAt { alerts = ["The person's data on this case was erased on \(DisplayDate.date(at)). The anonymous figures the statistics count remain."] }

        var timeline: [TimelineEntry] = [TimelineEntry(at: DisplayDate.dateTime(c.openedAt), what: "Case opened", by: name(c.$owner.id), sortKey: c.openedAt)]
        timeline += try notes.map { TimelineEntry(at: DisplayDate.dateTime($0.writtenAt), what: "Note: " + (try $0.open(with: cipher)), by: name($0.authorID), sortKey: $0.writtenAt) }
        timeline += try tasks.map { TimelineEntry(at: DisplayDate.dateTime($0.createdAt), what: "Task set, due \(Day(parsing: $0.dueOn)?.long ?? $0.dueOn): " + (try $0.open(with: cipher)), by: "", sortKey: $0.createdAt) }
        timeline += try tasks.compactMap { t in try t.doneAt.map { TimelineEntry(at: DisplayDate.dateTime($0), what: "Task done: " + (try t.open(with: cipher)), by: "", sortKey: $0) } }
        timeline += markers.map { m in TimelineEntry(at: DisplayDate.dateTime(m.setAt), what: "Marker set: \(Self.label(CaseMarker.kinds, m.kind))", by: name(m.setBy), sortKey: m.setAt) }
        timeline += consents.map { k in TimelineEntry(at: DisplayDate.dateTime(k.recordedAt), what: "Consent (\(Self.label(CaseConsent.purposes, k.purpose))): \(k.decision.label.lowercased())\(k.withdrawnOn.map { ", withdrawn \(Day(parsing: $0)?.long ?? $0)" } ?? "")", by: name(k.recordedBy), sortKey: k.recordedAt) }
        timeline += actions.map { a in TimelineEntry(at: Day(parsing: a.sentOn)?.long ?? a.sentOn, what: Self.label(CaseAction.kinds, a.kind), by: name(a.recordedBy), sortKey: Day(parsing: a.sentOn)?.noon ?? Date.distantPast) }
        timeline += transitions.map { t in
            let kind = notifications.first { $0.id == t.$notification.id }?.kind.label ?? "Notification"
            return TimelineEntry(at: Day(parsing: t.onDay)?.long ?? t.onDay, what: "\(kind): \(t.to.label)", by: name(t.recordedBy), sortKey: t.recordedAt)
        }
        timeline += fileRecords.map { f in TimelineEntry(at: DisplayDate.dateTime(f.uploadedAt), what: "Evidence file added", by: name(f.uploadedBy), sortKey: f.uploadedAt) }
        timeline.sort { $0.sortKey > $1.sortKey }

        let canEdit = (req.currentUser?.can(.editCases) ?? false) && c.restrictedAt == nil && c.erasedAt == nil && c.isOpen
        let view = View(
            id: id.uuidString, reference: c.reference, status: c.isOpen ? "Open" : "Closed", person: person,
            guidance: erased ? "" : Self.guidance(c, decision, notifications), alerts: alerts,
            markers: try markers.map { m in
                Row(id: m.id!.uuidString, cells: [Self.label(CaseMarker.kinds, m.kind), try m.open(with: cipher), name(m.setBy),
                                                  DisplayDate.date(m.setAt), Day(parsing: m.reviewOn)?.long ?? m.reviewOn],
                    flag: ((Day(parsing: m.reviewOn).map { $0 < today } ?? false) && m.removedAt == nil ? "Review overdue" : m.removedAt == nil ? "" : "Removed")
                        + (m.reviewRequestedOn.map { " Review requested by the person on \(Day(parsing: $0)?.long ?? $0)." } ?? ""),
                    open: m.removedAt == nil)
            },
            consents: try consents.map { k in
                Row(id: k.id!.uuidString, cells: [Self.label(CaseConsent.purposes, k.purpose), k.decision.label, k.wordingVersion,
                                                  Self.label(CaseConsent.methods + [CaseConsent.formerSystem], k.method), Day(parsing: k.givenOn)?.long ?? k.givenOn, name(k.recordedBy)],
                    flag: try k.withdrawnOn.map { "Withdrawn \(Day(parsing: $0)?.long ?? $0) (\(try k.withdrawalMethod(caseKey: caseKey) ?? ""))" } ?? "",
                    open: k.withdrawnOn == nil && k.decision == .given)
            },
            notifications: try notifications.map { n in
                let deadline = erased ? nil : NRMLifecycle.deadline(for: n.record, today: today, draftStarted: Day(parsing: n.startedOn))
                let ref = try n.open(with: cipher).homeOfficeReference
                return HomeOfficeReferralView(
                    id: n.id!.uuidString, kind: n.kind.label, state: n.state.label, stateKey: n.state.rawValue,
                    reference: ref, deadline: deadline.map { "\($0.what): \($0.due.long)" } ?? "", overdue: deadline?.overdue ?? false,
                    anonymous: n.anonymous,
                    next: (erased ? [] : NRMLifecycle.reachable(from: n.state, kind: n.kind, reconsidering: n.reconsidering)).map {
                        SelectOption(value: $0.rawValue, label: $0.label, selected: typed.values["notification"] == n.id!.uuidString && typed.values["to"] == $0.rawValue)
                    },
                    history: try transitions.filter { $0.$notification.id == n.id }.map { t in
                        Row(cells: [Day(parsing: t.onDay)?.long ?? t.onDay, "\(t.from.label) → \(t.to.label)", try t.open(with: cipher), name(t.recordedBy)])
                    })
            },
            actions: try actions.map { a in
                let secrets = try a.open(with: cipher)
                return Row(id: a.id!.uuidString, cells: [Self.label(CaseAction.kinds, a.kind), secrets.recipient, Day(parsing: a.sentOn)?.long ?? a.sentOn,
                                                          secrets.theirReference, a.status.rawValue, secrets.outcome])
            },
            tasks: try tasks.map { t in
                let due = Day(parsing: t.dueOn)
                return Row(id: t.id!.uuidString, cells: [try t.open(with: cipher), due?.long ?? t.dueOn, t.doneAt.map { "Done \(DisplayDate.date($0))" } ?? "To do"],
                           flag: t.doneAt == nil && (due.map { $0 < today } ?? false) ? "Overdue" : "", open: t.doneAt == nil)
            },
            notes: try notes.map { n in Row(cells: [DisplayDate.dateTime(n.writtenAt), name(n.authorID), try n.open(with: cipher)]) },
            files: files, timeline: timeline, canEdit: canEdit && c.isOpen, typed: typed, errors: typed.errors,
            markerKinds: CaseMarker.kinds.map { SelectOption(value: $0.0, label: $0.1, selected: typed.values["kind"] == $0.0) },
            consentPurposes: CaseConsent.purposes.map { SelectOption(value: $0.0, label: $0.1, selected: typed.values["purpose"] == $0.0) },
            consentMethods: CaseConsent.methods.map { SelectOption(value: $0.0, label: $0.1, selected: typed.values["method"] == $0.0) },
            actionKinds: CaseAction.kinds.map { SelectOption(value: $0.0, label: $0.1, selected: typed.values["kind"] == $0.0) },
            mayNotify: organisation?.isFirstResponder ?? false,
            consentWording: CaseRecordsController.consentWordingVersion, today: today.iso,
            sharing: try await CaseSharingController.section(req, c, typed: typed))
        return try await req.render(title: "Case \(c.reference)", status: status) { html, layout in view.write(into: &html, layout: layout) }
    }

    /// What the page asks of the caseworker next, following the case's real state: nothing once
    /// the case is closed, and no prompt to send what has already been sent.
    static func guidance(_ c: SafeguardingCase, _ decision: VictimDecision, _ notifications: [HomeOfficeReferral]) -> String {
        if !c.isOpen {
            let when = c.closedAt.map { " on \(DisplayDate.date($0))" } ?? ""
            return "Nothing more is needed: the case was closed\(when)" + (c.closedReason.map { ". Reason: \($0.label.lowercased())." } ?? ".")
        }
        let live = notifications.filter { ![.withdrawn].contains($0.state) }
        switch decision {
        case .dutyToNotify:
            if let sent = live.first(where: { $0.kind == .dutyToNotify && $0.state != .draft }) {
                let on = sent.submittedOn.flatMap(Day.init(parsing:)).map { " on \($0.long)" } ?? ""
                return "The Duty to Notify was sent\(on). Nothing more is due to the Home Office unless the person later consents to an NRM referral."
            }
        case .nrmReferral:
            if let sent = live.first(where: { $0.kind == .nrm && $0.state != .draft }) {
                return "The NRM referral is \(sent.state.label.lowercased()). Record each decision from the Single Competent Authority as it arrives."
            }
        default: break
        }
        return decision.summary
    }

    static func label(_ table: [(String, String)], _ key: String) -> String { table.first { $0.0 == key }?.1 ?? key }

    static func age(_ dob: Day, _ today: Day) -> Int {
        var years = today.year - dob.year
        if (today.month, today.day) < (dob.month, dob.day) { years -= 1 }
        return years
    }
}
