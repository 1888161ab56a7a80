import Fluent
import Foundation
import LanternCore
import Vapor

/// NRM referrals and Duty to Notify notifications on a case, and every move through their
/// lifecycle. Lantern prepares and tracks; the referral itself is made in the Home Office
/// service, which has no submission API (`shared/docs/domain/referrals.md` §1 rule 1).
struct HomeOfficeReferralsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let edit = routes.requiring(.editCases).grouped("cases", ":caseID", "notifications")
        edit.post(use: start)
        edit.post(":notificationID", "move", use: move)
    }

    struct StartForm: Content { var kind: String? }

    func start(req: Request) async throws -> Response {
        let c = try await NeedToKnow.requireCase(req)
        let kind = NotificationKind(rawValue: try req.form(StartForm.self).kind ?? "")
        var typed = TypedForm(section: "notify")
        // Read fresh, not from memory: it decides what may be recorded.
        let organisation = try await Organisation.current(on: req.db)
        let existing = try await HomeOfficeReferral.query(on: req.db).filter(\.$safeguardingCase.$id == c.id!).all()
        let liveNRM = existing.first { $0.kind == .nrm && ![.withdrawn, .closed].contains($0.state) }
        switch kind {
        case nil:
            typed.errors.add("kind", "Choose an NRM referral or a Duty to Notify notification")
        case _ where !(organisation?.isFirstResponder ?? false) || !c.isOpen:
            typed.errors.add("kind", c.isOpen
                ? "This organisation is not a First Responder: record the hand-over to the council or the police under local actions instead"
                : "The case is closed")
        case .nrm:
            if liveNRM != nil { typed.errors.add("kind", "This person already has an NRM referral; each person is referred once") }
            if !c.age.treatedAsChild && c.nrmConsent != .given {
                typed.errors.add("kind", "An adult is referred to the NRM only with informed consent: record the consent first, or make a Duty to Notify notification if they decline")
            }
        case .dutyToNotify:
            if c.age.treatedAsChild { typed.errors.add("kind", "Children (and anyone whose age is not known) are referred to the NRM, not notified under Duty to Notify") }
            else if liveNRM != nil { typed.errors.add("kind", "An NRM referral already meets the duty to notify; do not send a Duty to Notify as well") }
            else if c.nrmConsent == .given { typed.errors.add("kind", "The adult has consented to the NRM: make an NRM referral instead") }
            else if existing.contains(where: { $0.kind == .dutyToNotify && $0.state != .withdrawn }) { typed.errors.add("kind", "A Duty to Notify notification has already been made for this person") }
        }
        guard typed.errors.isEmpty, let kind else { return try await CasePage.render(req, c, typed: typed, status: .unprocessableEntity) }
        let n = HomeOfficeReferral()
        n.$safeguardingCase.id = c.id!
        n.kind = kind
        n.state = .draft
        n.startedOn = req.today.iso
        n.combinedDecision = false
        n.anonymous = kind == .dutyToNotify && !c.willingToCooperate
        try n.seal(.init(), with: req.cipher)
        try await req.write(n, .create, .homeOfficeReferral, detail: "case \(c.id!.uuidString), \(kind.rawValue)")
        try await CaseDeadlines.refresh(c, on: req.db, today: req.today)
        return req.redirect(to: "/cases/\(c.id!.uuidString)#notifications", saying: "\(kind.label) drafted. Complete it in the Home Office service, then record the submission here.")
    }

    struct MoveForm: Content {
        var to: String?
        var on: String?
        var reference: String?
        var note: String?
    }

    func move(req: Request) async throws -> Response {
        let c = try await NeedToKnow.requireCase(req)
        guard let id = req.parameters.get("notificationID", as: UUID.self), let n = try await HomeOfficeReferral.find(id, on: req.db),
              n.$safeguardingCase.id == c.id else { throw LanternError.notFound }
        let form = try req.form(MoveForm.self)
        let on = FormText.trim(form.on), reference = FormText.trim(form.reference), note = FormText.trim(form.note)
        var typed = TypedForm(section: "move", values: ["notification": id.uuidString, "to": form.to ?? "", "on": on, "reference": reference, "note": note])
        let to = NRMState(rawValue: form.to ?? "")
        if to == nil { typed.errors.add("to", "Choose what has happened") }
        let day = Day(parsing: on)
        if on.isEmpty { typed.errors.add("on", "Enter the date it happened") }
        else if day == nil { typed.errors.add("on", "Enter the date as a real date, like 2026-04-01 or 01/04/2026") }
        if note.count > 4000 { typed.errors.add("note", "The note must be 4000 characters or fewer") }
        if reference.count > 100 { typed.errors.add("reference", "The reference must be 100 characters or fewer") }
        if to == .submitted && n.kind == .nrm {
            let s = try c.open(with: req.cipher)
            if [s.firstName, s.lastName].contains(where: { $0.isEmpty || $0.lowercased() == "unknown" }) {
                typed.errors.add("to", "An NRM referral needs the person's first and last name: add them to the case first")
            }
        }
        // A decision may be recorded directly: the states that follow on their own on the way to
        // it (awaiting RG, the recovery period, awaiting CG) are recorded too, each on its day.
        var next: NRMLifecycle.Record?
        var steps: [(state: NRMState, day: Day)] = []
        if let to, let day, typed.errors.isEmpty {
            let route = NRMLifecycle.route(from: n.state, to: to, kind: n.kind, reconsidering: n.reconsidering) ?? [to]
            var record = n.record
            for state in route {
                let on = state == to ? day : NRMLifecycle.dayPassedThrough(state, record: record, decisionDay: day)
                switch NRMLifecycle.apply(.init(to: state, on: on, homeOfficeReference: reference.isEmpty ? nil : reference), to: record, today: req.today) {
                case .success(let moved): record = moved; steps.append((state, on))
                case .failure(let refusal):
                    typed.errors.add(refusal.message.contains("reference") ? "reference" : refusal.message.contains("date") ? "on" : "to", refusal.message)
                }
                if !typed.errors.isEmpty { break }
            }
            if typed.errors.isEmpty { next = record }
        }
        guard typed.errors.isEmpty, let next, let to, let day else {
            try await req.audit(.update, .homeOfficeReferral, id: id.uuidString, outcome: .denied, detail: "refused move to \(form.to ?? "")")
            return try await CasePage.render(req, c, typed: typed, status: .unprocessableEntity)
        }
        let from = n.state
        n.take(next)
        if !reference.isEmpty {
            try n.seal(.init(homeOfficeReference: reference), with: req.cipher)
            n.referenceIndex = req.lookupKeys.blindIndex(reference, purpose: "home-office-reference")
        }
        var transitions: [HomeOfficeReferralTransition] = []
        var previous = from
        for (index, step) in steps.enumerated() {
            let transition = HomeOfficeReferralTransition()
            transition.$notification.id = id
            transition.from = previous
            transition.to = step.state
            transition.onDay = step.day.iso
            // A moment apart, so the timeline keeps their order.
            transition.recordedAt = req.lantern.now().addingTimeInterval(Double(index) / 1000)
            transition.recordedBy = req.currentUser!.id!
            try transition.seal(step.state == to ? note : "", with: req.cipher)
            transitions.append(transition)
            previous = step.state
        }
        let cipher = req.cipher, by = req.currentUser?.id, now = req.lantern.now()
        let moves = transitions, path = ([from] + steps.map(\.state)).map(\.rawValue).joined(separator: " -> ")
        try await req.db.writeTransaction { db in
            try await n.save(on: db)
            for transition in moves { try await transition.create(on: db) }
            if to == .submitted {
                try await Disclosure.record(on: db, cipher: cipher, caseID: c.id, on: day, recipient: "Home Office (\(n.kind.label))",
                                            what: "\(n.kind.label) for case \(c.reference)", lawfulBasis: ConsentRules.lawfulBasis(forNotification: n.kind),
                                            by: by, at: now)
            }
            try await req.audit(.update, .homeOfficeReferral, id: id.uuidString,
                                detail: path + " on \(day.iso)", on: db)
        }
        try await CaseDeadlines.refresh(c, on: req.db, today: req.today)
        var message = "\(n.kind.label): \(to.label)."
        if let deadline = NRMLifecycle.deadline(for: n.record, today: req.today) { message += " \(deadline.what): \(deadline.due.long)." }
        return req.redirect(to: "/cases/\(c.id!.uuidString)#notifications", saying: message)
    }
}
