import Fluent
import Foundation
import LanternCore
import Vapor

/// Everything recorded on a case after it opens. Each form refuses with its own errors and
/// keeps what was typed; each change is audited.
struct CaseRecordsController: RouteCollection {
    /// The version of the consent wording shown to the person, recorded with each decision.
    static let consentWordingVersion = "NRM-consent-2026-04"

    func boot(routes: any RoutesBuilder) throws {
        let edit = routes.requiring(.editCases).grouped("cases", ":caseID")
        edit.post("notes", use: addNote)
        edit.post("tasks", use: addTask)
        edit.post("tasks", ":taskID", "done", use: completeTask)
        edit.post("markers", use: addMarker)
        edit.post("markers", ":markerID", "remove", use: removeMarker)
        edit.post("markers", ":markerID", "review-requested", use: markerReviewRequested)
        edit.post("consents", use: addConsent)
        edit.post("consents", ":consentID", "withdraw", use: withdrawConsent)
        edit.post("actions", use: addAction)
        edit.get("indicators", use: indicatorForm)
        edit.post("indicators", use: saveIndicators)
        edit.upload("files", limit: PublicReportController.uploadLimit, use: addFiles)
        edit.post("close", use: closeCase)
        routes.requiring(.viewCases).get("cases", ":caseID", "files", ":fileID", use: file)
    }

    private static func trim(_ s: String?) -> String { FormText.trim(s) }

    private func refuse(_ req: Request, _ c: SafeguardingCase, _ typed: TypedForm) async throws -> Response {
        try await CasePage.render(req, c, typed: typed, status: .unprocessableEntity)
    }

    private func openCase(_ req: Request) async throws -> SafeguardingCase {
        let c = try await NeedToKnow.requireCase(req)
        guard c.isOpen else { throw LanternError(.conflict, "This case is closed; it can be read but not changed.") }
        return c
    }

    private func done(_ req: Request, _ c: SafeguardingCase, _ message: String, anchor: String) async throws -> Response {
        try await CaseDeadlines.refresh(c, on: req.db, today: req.today)
        return req.redirect(to: "/cases/\(c.id!.uuidString)#\(anchor)", saying: message)
    }

    private static func day(_ raw: String, _ field: String, _ name: String, into typed: inout TypedForm, notFuture: Day? = nil) -> Day? {
        guard !raw.isEmpty else { typed.errors.add(field, "Enter the \(name)"); return nil }
        guard let day = Day(parsing: raw) else { typed.errors.add(field, "Enter the \(name) as a real date, like 2026-04-01 or 01/04/2026"); return nil }
        if let limit = notFuture, day > limit { typed.errors.add(field, "The \(name) cannot be in the future"); return nil }
        return day
    }

    struct NoteForm: Content {
        @FormField var note: String = ""
    }

    func addNote(req: Request) async throws -> Response {
        let c = try await openCase(req)
        let text = Self.trim(try req.form(NoteForm.self).note)
        var typed = TypedForm(section: "note", values: ["note": text])
        if text.isEmpty { typed.errors.add("note", "Write the note") }
        if text.count > ConcernRules.maximumTextLength { typed.errors.add("note", "The note must be \(ConcernRules.maximumTextLength) characters or fewer") }
        guard typed.errors.isEmpty else { return try await refuse(req, c, typed) }
        let note = CaseNote()
        note.$safeguardingCase.id = c.id!
        note.authorID = req.currentUser?.id
        note.writtenAt = req.lantern.now()
        try note.seal(text, with: req.cipher)
        try await req.write(note, .create, .caseNote, detail: "case \(c.id!.uuidString)")
        return try await done(req, c, "Note added.", anchor: "notes")
    }

    struct TaskForm: Content {
        @FormField var title: String = ""
        @FormField var due_on: String = ""
    }

    func addTask(req: Request) async throws -> Response {
        let c = try await openCase(req)
        let form = try req.form(TaskForm.self)
        let title = Self.trim(form.title), dueText = Self.trim(form.due_on)
        var typed = TypedForm(section: "task", values: ["title": title, "due_on": dueText])
        if title.isEmpty { typed.errors.add("title", "Say what needs doing") }
        if title.count > 500 { typed.errors.add("title", "The task must be 500 characters or fewer") }
        let due = Self.day(dueText, "due_on", "due date", into: &typed)
        if let due, due < req.today { typed.errors.add("due_on", "The due date cannot be in the past") }
        guard typed.errors.isEmpty, let due else { return try await refuse(req, c, typed) }
        let task = CaseTask()
        task.$safeguardingCase.id = c.id!
        task.assigneeID = c.$owner.id
        task.dueOn = due.iso
        task.createdAt = req.lantern.now()
        try task.seal(title, with: req.cipher)
        try await req.write(task, .create, .caseTask, detail: "case \(c.id!.uuidString)")
        return try await done(req, c, "Task added, due \(due.long).", anchor: "tasks")
    }

    func completeTask(req: Request) async throws -> Response {
        let c = try await openCase(req)
        guard let id = req.parameters.get("taskID", as: UUID.self), let task = try await CaseTask.find(id, on: req.db),
              task.$safeguardingCase.id == c.id else { throw LanternError.notFound }
        task.doneAt = req.lantern.now()
        try await req.write(task, .update, .caseTask, id: id.uuidString, detail: "done")
        return try await done(req, c, "Task marked done.", anchor: "tasks")
    }

    struct MarkerForm: Content {
        @FormField var kind: String = ""
        @FormField var reason: String = ""
        @FormField var review_on: String = ""
    }

    func addMarker(req: Request) async throws -> Response {
        let c = try await openCase(req)
        let form = try req.form(MarkerForm.self)
        let reason = Self.trim(form.reason), review = Self.trim(form.review_on)
        var typed = TypedForm(section: "marker", values: ["kind": form.kind, "reason": reason, "review_on": review])
        if !CaseMarker.kinds.contains(where: { $0.0 == form.kind }) { typed.errors.add("kind", "Select the kind of marker") }
        if reason.isEmpty { typed.errors.add("reason", "Give the reason for the marker; the person may ask to see it") }
        if reason.count > 2000 { typed.errors.add("reason", "The reason must be 2000 characters or fewer") }
        let reviewDay = Self.day(review, "review_on", "review date", into: &typed)
        if let reviewDay, reviewDay <= req.today { typed.errors.add("review_on", "The review date must be in the future") }
        guard typed.errors.isEmpty, let reviewDay else { return try await refuse(req, c, typed) }
        let marker = CaseMarker()
        marker.$safeguardingCase.id = c.id!
        marker.kind = form.kind
        marker.setBy = req.currentUser!.id!
        marker.setAt = req.lantern.now()
        marker.reviewOn = reviewDay.iso
        try marker.seal(reason, with: req.cipher)
        try await req.write(marker, .create, .caseMarker, detail: "case \(c.id!.uuidString), \(marker.kind)")
        return try await done(req, c, "Marker set.", anchor: "markers")
    }

    func removeMarker(req: Request) async throws -> Response {
        let c = try await openCase(req)
        guard let id = req.parameters.get("markerID", as: UUID.self), let marker = try await CaseMarker.find(id, on: req.db),
              marker.$safeguardingCase.id == c.id else { throw LanternError.notFound }
        guard req.isConfirmed else {
            return try await req.confirmation("Remove the \(CasePage.label(CaseMarker.kinds, marker.kind).lowercased()) marker?",
                                              ["Staff opening case \(c.reference) will no longer be warned by it. It stays on the case's timeline as removed."],
                                              button: "Yes, remove the marker", cancel: "/cases/\(c.id!.uuidString)#markers")
        }
        marker.removedAt = req.lantern.now()
        try await req.write(marker, .update, .caseMarker, id: id.uuidString, detail: "removed")
        return try await done(req, c, "Marker removed.", anchor: "markers")
    }

    struct MarkerReviewForm: Content {
        @FormField var requested_on: String = ""
    }

    /// The person asked for a marker to be reviewed: recorded, and the review brought forward to
    /// within a month (the same clock as their other requests).
    func markerReviewRequested(req: Request) async throws -> Response {
        let c = try await openCase(req)
        guard let id = req.parameters.get("markerID", as: UUID.self), let marker = try await CaseMarker.find(id, on: req.db),
              marker.$safeguardingCase.id == c.id, marker.removedAt == nil else { throw LanternError.notFound }
        let form = try req.form(MarkerReviewForm.self)
        var typed = TypedForm(section: "marker-review", form: form)
        guard let day = Self.day(form.requested_on, "review-requested-\(id.uuidString)", "date the person asked", into: &typed, notFuture: req.today),
              typed.errors.isEmpty else { return try await refuse(req, c, typed) }
        marker.reviewRequestedOn = day.iso
        let due = RequestDeadline.due(clockStart: day)
        if let current = Day(parsing: marker.reviewOn), current > due { marker.reviewOn = due.iso }
        try await req.write(marker, .update, .caseMarker, id: id.uuidString, detail: "review requested on \(day.iso)")
        return try await done(req, c, "The person's request for a review is recorded. Review the marker by \(Day(parsing: marker.reviewOn)?.long ?? marker.reviewOn).", anchor: "markers")
    }

    struct ConsentForm: Content {
        @FormField var purpose: String = ""
        @FormField var decision: String = ""
        @FormField var method: String = ""
        @FormField var given_on: String = ""
        @FormField var explained: String = ""
    }

    func addConsent(req: Request) async throws -> Response {
        let c = try await openCase(req)
        let form = try req.form(ConsentForm.self)
        let on = Self.trim(form.given_on)
        var typed = TypedForm(section: "consent", values: ["purpose": form.purpose, "decision": form.decision,
                                                          "method": form.method, "given_on": on, "explained": form.explained])
        if !CaseConsent.purposes.contains(where: { $0.0 == form.purpose }) { typed.errors.add("purpose", "Select what the consent is for") }
        let decision = ConsentDecision(rawValue: form.decision)
        if decision == nil || decision == .notAsked { typed.errors.add("decision", "Select whether consent was given or refused") }
        if !CaseConsent.methods.contains(where: { $0.0 == form.method }) { typed.errors.add("method", "Select how the decision was given") }
        let day = Self.day(on, "given_on", "date of the decision", into: &typed, notFuture: req.today)
        if form.purpose == "nrm" && decision == .given && form.explained != "yes" {
            typed.errors.add("explained", "Confirm that the NRM and the PIN were explained before consent was given")
        }
        if form.purpose == "nrm" && c.age.treatedAsChild {
            typed.errors.add("purpose", "Children (and anyone whose age is not known) are referred to the NRM without consent")
        }
        guard typed.errors.isEmpty, let decision, let day else { return try await refuse(req, c, typed) }
        let consent = CaseConsent()
        consent.$safeguardingCase.id = c.id!
        consent.purpose = form.purpose
        consent.decision = decision
        consent.wordingVersion = Self.consentWordingVersion
        consent.method = form.method
        consent.givenOn = day.iso
        consent.recordedBy = req.currentUser!.id!
        consent.recordedAt = req.lantern.now()
        try await req.db.writeTransaction { db in
            try await consent.create(on: db)
            if consent.purpose == "nrm" {
                c.nrmConsent = decision
                try await c.save(on: db)
            }
            try await req.audit(.create, .caseConsent, id: consent.id?.uuidString, detail: "case \(c.id!.uuidString), \(consent.purpose) \(decision.rawValue)", on: db)
        }
        return try await done(req, c, "Consent decision recorded.", anchor: "consent")
    }

    struct WithdrawForm: Content {
        @FormField var withdrawn_on: String = ""
        @FormField var withdrawal_method: String = ""
    }

    func withdrawConsent(req: Request) async throws -> Response {
        let c = try await openCase(req)
        guard let id = req.parameters.get("consentID", as: UUID.self), let consent = try await CaseConsent.find(id, on: req.db),
              consent.$safeguardingCase.id == c.id, consent.withdrawnOn == nil else { throw LanternError.notFound }
        let form = try req.form(WithdrawForm.self)
        var typed = TypedForm(section: "withdraw", values: ["withdrawn_on": Self.trim(form.withdrawn_on), "withdrawal_method": Self.trim(form.withdrawal_method)])
        let day = Self.day(Self.trim(form.withdrawn_on), "withdrawn_on", "date consent was withdrawn", into: &typed, notFuture: req.today)
        if let day, let given = Day(parsing: consent.givenOn), day < given { typed.errors.add("withdrawn_on", "Consent cannot be withdrawn before it was given") }
        if Self.trim(form.withdrawal_method).isEmpty { typed.errors.add("withdrawal_method", "Say how consent was withdrawn (for example in writing, or via a First Responder)") }
        guard typed.errors.isEmpty, let day else { return try await refuse(req, c, typed) }
        consent.withdrawnOn = day.iso
        try consent.setWithdrawalMethod(String(Self.trim(form.withdrawal_method).prefix(200)), caseKey: try c.unwrappedKey(with: req.cipher))
        try await req.db.writeTransaction { db in
            try await consent.save(on: db)
            if consent.purpose == "nrm" {
                c.nrmConsent = nil
                try await c.save(on: db)
            }
            try await req.audit(.update, .caseConsent, id: id.uuidString, detail: "withdrawn", on: db)
        }
        return try await done(req, c, "Consent withdrawal recorded. Anything that depended on it must stop.", anchor: "consent")
    }

    struct ActionForm: Content {
        @FormField var kind: String = ""
        @FormField var recipient: String = ""
        @FormField var sent_on: String = ""
        @FormField var their_reference: String = ""
        @FormField var status: String = ""
        @FormField var outcome: String = ""
    }

    func addAction(req: Request) async throws -> Response {
        let c = try await openCase(req)
        let form = try req.form(ActionForm.self)
        let recipient = Self.trim(form.recipient), sent = Self.trim(form.sent_on), reference = Self.trim(form.their_reference)
        let outcome = Self.trim(form.outcome)
        var typed = TypedForm(section: "action", values: ["kind": form.kind, "recipient": recipient, "sent_on": sent,
                                                         "their_reference": reference, "status": form.status, "outcome": outcome])
        if !CaseAction.kinds.contains(where: { $0.0 == form.kind }) { typed.errors.add("kind", "Select the kind of referral or agency") }
        if recipient.isEmpty { typed.errors.add("recipient", "Enter who it was sent to (the team or agency)") }
        if recipient.count > 200 || reference.count > 100 || outcome.count > 2000 { typed.errors.add("recipient", "Keep the recipient to 200 characters, the reference to 100 and the outcome to 2000") }
        let day = Self.day(sent, "sent_on", "date it was made", into: &typed, notFuture: req.today)
        let status = CaseActionStatus(rawValue: form.status) ?? .sent
        if case let kind = form.kind, let purpose = ConsentRules.purpose(forAction: kind) {
            let latest = try await CaseConsent.query(on: req.db).filter(\.$safeguardingCase.$id == c.id!).filter(\.$purpose == purpose)
                .sort(\.$recordedAt, .descending).first()
            if ConsentRules.blocks(actionKind: kind, isAdult: c.age == .adult, latest: latest.map { ($0.decision, $0.withdrawnOn != nil) }) {
                let label = CaseConsent.purposes.first { $0.0 == purpose }?.1 ?? purpose
                typed.errors.add("kind", "The person \(latest!.withdrawnOn != nil ? "withdrew" : "refused") consent to \(label.lowercased()): this cannot be done on their consent. If a safeguarding duty requires it, record it as a safeguarding referral and the lawful basis in the disclosure log.")
            }
        }
        guard typed.errors.isEmpty, let day else { return try await refuse(req, c, typed) }
        let action = CaseAction()
        action.$safeguardingCase.id = c.id!
        action.kind = form.kind
        action.sentOn = day.iso
        action.status = status
        action.recordedBy = req.currentUser!.id!
        try action.seal(.init(recipient: recipient, theirReference: reference, outcome: outcome), with: req.cipher)
        let cipher = req.cipher, by = req.currentUser?.id, now = req.lantern.now()
        let what = "\(CaseAction.kinds.first { $0.0 == action.kind }?.1 ?? action.kind) for case \(c.reference)"
        let basis = ConsentRules.lawfulBasis(forAction: action.kind, isAdult: c.age == .adult)
        try await req.db.writeTransaction { db in
            try await action.create(on: db)
            // Every sharing with a partner goes in the disclosure log, with the basis it rests on.
            try await Disclosure.record(on: db, cipher: cipher, caseID: c.id, on: day, recipient: recipient, what: what,
                                        lawfulBasis: basis, by: by, at: now)
            try await req.audit(.create, .caseAction, id: action.id?.uuidString, detail: "case \(c.id!.uuidString), \(action.kind)", on: db)
        }
        return try await done(req, c, "Recorded.", anchor: "actions")
    }

    func indicatorForm(req: Request) async throws -> Response {
        let c = try await openCase(req)
        let secrets = try c.open(with: req.cipher)
        try await req.audit(.read, .case, id: c.id?.uuidString, detail: "indicators")
        struct View: Encodable {
            let id: String
            let reference: String
            let indicatorGroups: [IndicatorGroupView]
            let sources: [SelectOption]
            let typed: TypedForm
        }
        return try await req.render("Cases/indicators", View(
            id: c.id!.uuidString, reference: c.reference,
            indicatorGroups: IndicatorGroupView.all(checked: Set(secrets.indicators.map(\.indicatorID))),
            sources: IndicatorSource.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == .observed) },
            typed: TypedForm()), title: "Indicators seen on \(c.reference)")
    }

    struct IndicatorForm: Content {
        @FormList var indicators: [String] = []
        @FormField var source: String = ""
        @FormField var context: String = ""
    }

    func saveIndicators(req: Request) async throws -> Response {
        let c = try await openCase(req)
        let form = try req.form(IndicatorForm.self)
        let source = IndicatorSource(rawValue: form.source) ?? .observed
        let context = String(Self.trim(form.context).prefix(2000))
        var secrets = try c.open(with: req.cipher)
        let chosen = (form.indicators).filter { IndicatorCatalogue.byID[$0] != nil }
        let existing = Dictionary(uniqueKeysWithValues: secrets.indicators.map { ($0.indicatorID, $0) })
        secrets.indicators = chosen.sorted().map { existing[$0] ?? IndicatorObservation(indicatorID: $0, source: source, context: context) }
        try c.seal(secrets, with: req.cipher)
        try await req.write(c, .update, .case, detail: "indicators")
        return try await done(req, c, "Indicators saved.", anchor: "indicators")
    }

    struct FilesForm: Content {
        @FormField var description: String = ""
    }

    func addFiles(req: Request) async throws -> Response {
        let c = try await openCase(req)
        return try await EvidenceUpload.handle(req, limit: PublicReportController.uploadLimit) { upload in
            let description = try upload.decode(FilesForm.self).description
            var typed = TypedForm(section: "files", values: ["description": description])
            if upload.files.isEmpty { typed.errors.add("files", "Choose a file to upload") }
            if description.isEmpty { typed.errors.add("description", "Say what each file is and its date") }
            if description.count > 2000 { typed.errors.add("description", "The description must be 2000 characters or fewer") }
            let accepted = upload.accepted(into: &typed.errors)
            guard typed.errors.isEmpty else { return try await refuse(req, c, typed) }
            let cipher = req.cipher, user = req.currentUser?.id
            try await req.db.writeTransaction { db in
                for file in accepted {
                    try await EvidenceStore.attach(file, owner: .case, ownerID: c.id!, description: description, uploadedBy: user,
                                                   fromReporter: false, cipher: cipher, on: db)
                }
                try await req.audit(.create, .evidenceFile, id: c.id?.uuidString, detail: "\(accepted.count) file(s)", on: db)
            }
            return try await done(req, c, "\(accepted.count) file\(accepted.count == 1 ? "" : "s") added.", anchor: "evidence")
        }
    }

    func file(req: Request) async throws -> Response {
        let c = try await NeedToKnow.requireCase(req)
        guard let id = req.parameters.get("fileID", as: UUID.self), let record = try await EvidenceFile.find(id, on: req.db),
              record.ownerType == .case, record.ownerID == c.id else { throw LanternError.notFound }
        try await req.audit(.export, .evidenceFile, id: id.uuidString, detail: "case \(c.id!.uuidString)")
        return try EvidenceStore.download(req, record)
    }

    func closeCase(req: Request) async throws -> Response {
        let c = try await openCase(req)
        let open = try await HomeOfficeReferral.query(on: req.db).filter(\.$safeguardingCase.$id == c.id!)
            .filter(\.$state !~ [.closed, .withdrawn]).all()
            .filter { !($0.kind == .dutyToNotify && $0.state == .submitted) }
        guard open.isEmpty else {
            return try await refuse(req, c, TypedForm(section: "close", errors: FormErrors([("close", "Close or withdraw the open \(open[0].kind.label) first (it is \(open[0].state.label.lowercased()))")])))
        }
        // Closing starts the retention clock and ends every prompt: asked once more, with the reason.
        let chosen = (try? req.content.get(String.self, at: "reason")).flatMap(CaseClosureReason.init(rawValue:))
        guard req.isConfirmed, let reason = chosen else {
            let error = req.isConfirmed ? "Select why the case is being closed" : nil
            return try await req.confirmation(
                "Close case \(c.reference)?",
                ["Nothing more can be added to a closed case, and no deadlines or reminders will be shown for it.",
                 "The retention period starts today: the case is kept for the time the retention schedule sets, then erased."],
                button: "Close the case", cancel: "/cases/\(c.id!.uuidString)",
                reason: .init(label: "Why is the case being closed?", hint: "This is shown on the case.",
                              options: CaseClosureReason.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0 == chosen) },
                              error: error),
                status: error == nil ? .ok : .unprocessableEntity)
        }
        c.status = .closed
        c.closedAt = req.lantern.now()
        c.closedReason = reason
        try await req.write(c, .update, .case, detail: "closed: \(reason.rawValue)")
        return try await done(req, c, "Case closed. The retention period starts today.", anchor: "main-content")
    }
}
