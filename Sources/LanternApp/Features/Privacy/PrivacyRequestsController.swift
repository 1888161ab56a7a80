import Fluent
import Foundation
import LanternCore
import Vapor

/// Requests to correct, erase or restrict a person's data: received, decided with a reason,
/// and carried out. Erasure of a case is irreversible and needs the case reference typed to
/// confirm; restriction marks the case so nothing can change it until it is lifted.
struct PrivacyRequestsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let group = routes.requiring(.managePrivacyRequests).grouped("privacy", "requests")
        group.get("new", use: newForm)
        group.post(use: create)
        group.get(":requestID", use: show)
        group.post(":requestID", "decide", use: decide)
        group.post(":requestID", "lift", use: lift)
    }

    struct FormView: Encodable { let values: NewForm; let kinds: [SelectOption]; let errors: FormErrors }
    struct NewForm: Content {
        @FormField var kind: String = ""
        @FormField var requester: String = ""
        @FormField var details: String = ""
        @FormField var received_on: String = ""
        @FormField var case_reference: String = ""
    }

    private func newForm(_ req: Request, values: NewForm, errors: FormErrors = FormErrors()) async throws -> Response {
        try await req.render("Privacy/request-new", FormView(
            values: values, kinds: PrivacyRequest.kinds.map { SelectOption(value: $0.0, label: $0.1, selected: values.kind == $0.0) }, errors: errors),
            title: "Record a request to correct, erase or restrict data", status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func newForm(req: Request) async throws -> Response { try await newForm(req, values: NewForm(received_on: req.today.iso)) }

    func create(req: Request) async throws -> Response {
        let values = try req.form(NewForm.self)
        var errors = FormErrors()
        if !PrivacyRequest.kinds.contains(where: { $0.0 == values.kind }) { errors.add("kind", "Choose what the person is asking for") }
        if values.requester.isEmpty { errors.add("requester", "Enter who is asking") } else if values.requester.count > 200 { errors.add("requester", "The name must be 200 characters or fewer") }
        if values.details.isEmpty { errors.add("details", "Describe what they ask to be corrected, erased or restricted") }
        else if values.details.count > 4000 { errors.add("details", "The details must be 4000 characters or fewer") }
        let received = Day(parsing: values.received_on)
        if values.received_on.isEmpty { errors.add("received_on", "Enter the date the request was received") }
        else if received == nil { errors.add("received_on", "Enter the date as a real date, like 2026-11-02 or 02/11/2026") }
        else if received! > req.today { errors.add("received_on", "The date received cannot be in the future") }
        var caseID: UUID?
        if !values.case_reference.isEmpty {
            caseID = try await SafeguardingCase.query(on: req.db).filter(\.$reference == values.case_reference).first()?.id
            if caseID == nil { errors.add("case_reference", "There is no case with the reference \(values.case_reference)") }
        }
        guard errors.isEmpty, let received else { return try await newForm(req, values: values, errors: errors) }
        let r = PrivacyRequest()
        r.reference = try await RecordReference.counted(prefix: "PR", year: req.today.year, in: PrivacyRequest.schema, on: req.db)
        r.kind = values.kind
        r.receivedOn = received.iso
        r.dueOn = RequestDeadline.due(clockStart: received).iso
        r.caseID = caseID
        r.decision = .pending
        r.createdAt = req.lantern.now()
        try r.seal(.init(requester: values.requester, details: values.details), with: req.cipher)
        try await req.write(r, .create, .privacyRequest, detail: r.kind)
        return req.redirect(to: "/privacy/requests/\(r.id!.uuidString)", saying: "Request \(r.reference) recorded; a decision is due by \(Day(parsing: r.dueOn)!.long).")
    }

    struct ShowView: Encodable {
        let id: String, reference: String, kind: String, kindLabel: String, requester: String, details: String
        let received: String, due: String, decision: String, reason: String, decidedOn: String, carriedOut: String
        let caseReference: String, caseLink: String, caseRestricted: Bool, caseErased: Bool
        /// Whoever the case's data was shared with, to be told of a correction or erasure.
        let recipients: [String]
        /// For an erasure: each detail and record of the case that can be erased alone.
        let parts: [SelectOption]
        /// For a correction: the details that can be corrected.
        let fields: [SelectOption]
        let values: DecideForm
        let errors: FormErrors
    }

    /// The case's editor in the registry, and what it offers for this request's case.
    private func erasableParts(_ req: Request, caseID: UUID?) async throws -> [ErasablePart] {
        guard let caseID, let editor = req.application.personalData[SafeguardingCase.schema]?.editor else { return [] }
        return try await editor.parts(erasureContext(req, db: req.db), caseID)
    }

    private func erasureContext(_ req: Request, db: any Database) -> ErasureContext {
        ErasureContext(db: db, cipher: req.cipher, lookup: req.lookupKeys, now: req.lantern.now(), purpose: .request)
    }

    private func request(_ req: Request) async throws -> PrivacyRequest {
        guard let id = req.parameters.get("requestID", as: UUID.self), let r = try await PrivacyRequest.find(id, on: req.db) else { throw LanternError.notFound }
        return r
    }

    private func show(_ req: Request, _ r: PrivacyRequest, values: DecideForm = DecideForm(),
                      errors: FormErrors = FormErrors()) async throws -> Response {
        let s = try r.open(with: req.cipher)
        let c = try await r.caseID.asyncFlatMap { try await SafeguardingCase.find($0, on: req.db) }
        try await req.audit(.read, .privacyRequest, id: r.id?.uuidString)
        var recipients: [String] = []
        if let id = r.caseID {
            for d in try await Disclosure.query(on: req.db).filter(\.$caseID == id).sort(\.$disclosedOn).all() {
                recipients.append("\(try d.open(with: req.cipher).recipient) (\(Day(parsing: d.disclosedOn)?.long ?? d.disclosedOn))")
            }
        }
        return try await req.render("Privacy/request", ShowView(
            id: r.id!.uuidString, reference: r.reference, kind: r.kind, kindLabel: PrivacyRequest.kinds.first { $0.0 == r.kind }?.1 ?? r.kind,
            requester: s.requester, details: s.details, received: Day(parsing: r.receivedOn)?.long ?? r.receivedOn,
            due: Day(parsing: r.dueOn)?.long ?? r.dueOn, decision: r.decision.label, reason: s.reason,
            decidedOn: r.decidedOn.flatMap(Day.init(parsing:))?.long ?? "", carriedOut: r.carriedOutAt.map(DisplayDate.dateTime) ?? "",
            caseReference: c?.reference ?? "", caseLink: c.map { "/cases/\($0.id!.uuidString)" } ?? "",
            caseRestricted: c?.restrictedAt != nil, caseErased: c?.erasedAt != nil, recipients: recipients,
            parts: r.kind == "erasure" && r.decision == .pending ? try await erasableParts(req, caseID: r.caseID).map {
                SelectOption(value: $0.key, label: $0.label, selected: values.parts.contains($0.key))
            } : [],
            fields: (req.application.personalData[SafeguardingCase.schema]?.editor?.fields ?? []).map {
                SelectOption(value: $0.key, label: $0.label, selected: values.field == $0.key)
            },
            values: values, errors: errors),
            title: "Request \(r.reference)", status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func show(req: Request) async throws -> Response { try await show(req, try await request(req)) }

    struct DecideForm: Content {
        @FormField var decision: String = ""
        @FormField var reason: String = ""
        @FormField var confirm_reference: String = ""
        /// Erasure: `whole` (the default) or `parts`, with the parts ticked.
        @FormField var scope: String = ""
        @FormList var parts: [String] = []
        /// Correction: the detail to correct and its corrected value.
        @FormField var field: String = ""
        @FormField var corrected_value: String = ""
    }

    func decide(req: Request) async throws -> Response {
        let r = try await request(req)
        var values = try req.form(DecideForm.self)
        if values.scope.isEmpty { values.scope = "whole" }
        let chosen = Set(values.parts)
        var errors = FormErrors()
        if r.decision != .pending { errors.add("decision", "This request has already been decided") }
        if !["granted", "partly_granted", "refused"].contains(values.decision) { errors.add("decision", "Choose the decision") }
        if values.reason.isEmpty { errors.add("reason", "Give the reason for the decision: the person is told it, and may complain to the ICO") }
        else if values.reason.count > 4000 { errors.add("reason", "The reason must be 4000 characters or fewer") }
        let c = try await r.caseID.asyncFlatMap { try await SafeguardingCase.find($0, on: req.db) }
        let acting = values.decision != "refused"
        let offered = try await erasableParts(req, caseID: c?.erasedAt == nil ? c?.id : nil)
        if acting, r.kind == "erasure", let c {
            if !["whole", "parts"].contains(values.scope) { errors.add("scope", "Choose whether to erase the whole case or only some of it") }
            else if values.scope == "parts" {
                if chosen.isEmpty { errors.add("parts", "Tick each detail or record to erase") }
                else if !chosen.isSubset(of: offered.map(\.key)) { errors.add("parts", "Tick only details and records listed here: the case has changed since the page was opened") }
            }
            if values.confirm_reference != c.reference { errors.add("confirm_reference", "Type the case reference \(c.reference) to confirm: erasure cannot be undone") }
        }
        let fields = req.application.personalData[SafeguardingCase.schema]?.editor?.fields ?? []
        if acting, r.kind == "rectification", c != nil, case let field = values.field, !field.isEmpty {
            if !fields.contains(where: { $0.key == field }) { errors.add("field", "Choose a detail from the list") }
            else if (values.corrected_value).isEmpty { errors.add("corrected_value", "Enter the corrected value") }
            else if (values.corrected_value).count > 4000 { errors.add("corrected_value", "The corrected value must be 4000 characters or fewer") }
        }
        guard errors.isEmpty else { return try await show(req, r, values: values, errors: errors) }
        var s = try r.open(with: req.cipher)
        s.reason = values.reason
        try r.seal(s, with: req.cipher)
        r.decision = PrivacyDecision(rawValue: values.decision) ?? .pending
        r.decidedOn = req.today.iso
        r.decidedBy = req.currentUser?.id
        let now = req.lantern.now(), cipher = req.cipher
        var done = ""
        if acting, let c {
            switch r.kind {
            case "erasure" where values.scope == "parts":
                let reference = r.reference, caseID = c.id!, eraser = req.application.personalDataEraser
                let targets = offered.filter { chosen.contains($0.key) }
                guard let editor = req.application.personalData[SafeguardingCase.schema]?.editor else { throw LanternError.notFound }
                try await req.db.writeTransaction { db in
                    let context = erasureContext(req, db: db)
                    for part in targets {
                        switch part.target {
                        case .field(let field): try await editor.set(context, caseID, field, nil)
                        case .record(let table, let id): _ = try await eraser.erase(table, ids: [id], in: context)
                        }
                        try await req.audit(.delete, .case, id: caseID.uuidString, detail: "erased under \(reference): \(part.label)", on: db)
                    }
                }
                r.carriedOutAt = now
                done = " Erased from case \(c.reference): " + targets.map { $0.label.lowercased() }.joined(separator: "; ") + "."
            case "erasure":
                let reference = r.reference, eraser = req.application.personalDataEraser
                let tally = try await req.db.writeTransaction { db in
                    let tally = try await eraser.erase(SafeguardingCase.schema, ids: [c.id!], in: erasureContext(req, db: db))
                    try await req.audit(.delete, .case, id: c.id?.uuidString, detail: "personal data erased under \(reference)", on: db)
                    return tally
                }
                r.carriedOutAt = now
                let concerns = tally[Concern.schema], files = tally[EvidenceFile.schema]
                let records = tally.total - tally[SafeguardingCase.schema] - concerns - files - tally[EvidenceChunk.schema]
                done = " The case's personal data was erased: \(concerns) linked \(concerns == 1 ? "concern" : "concerns"), \(records) records and \(files) files."
            case "restriction":
                c.restrictedAt = now
                let reference = r.reference
                try await req.write(c, .update, .case, detail: "processing restricted under \(reference)")
                r.carriedOutAt = now
                done = " Case \(c.reference) is restricted: it can be read but not changed until the restriction is lifted."
            default:
                // A fact shown wrong is corrected; contested opinions get the person's view added,
                // not overwritten (referrals.md §7).
                var corrected = ""
                if let field = fields.first(where: { $0.key == values.field }), let editor = req.application.personalData[SafeguardingCase.schema]?.editor {
                    let reference = r.reference, caseID = c.id!, value = values.corrected_value
                    try await req.db.writeTransaction { db in
                        try await editor.set(erasureContext(req, db: db), caseID, field.key, value)
                        try await req.audit(.update, .case, id: caseID.uuidString, detail: "corrected under \(reference): \(field.label)", on: db)
                    }
                    corrected = " \(field.label) on case \(c.reference) is corrected."
                }
                let note = CaseNote()
                note.$safeguardingCase.id = c.id!
                note.authorID = req.currentUser?.id
                note.writtenAt = now
                try note.seal("The person's view (request \(r.reference)): \(s.details)", with: cipher)
                try await note.create(on: req.db)
                r.carriedOutAt = now
                done = corrected + " The person's view is added to case \(c.reference) as a note. Correct anything else there, and tell the recipients listed below."
            }
        }
        try await req.write(r, .update, .privacyRequest, detail: "decided: \(r.decision)")
        return req.redirect(to: "/privacy/requests/\(r.id!.uuidString)", saying: "Decision recorded.\(done)")
    }

    func lift(req: Request) async throws -> Response {
        let r = try await request(req)
        guard r.kind == "restriction", let id = r.caseID, let c = try await SafeguardingCase.find(id, on: req.db), c.restrictedAt != nil else {
            throw LanternError(.conflict, "There is no restriction to lift on this request.")
        }
        c.restrictedAt = nil
        try await req.write(c, .update, .case, detail: "restriction lifted under \(r.reference)")
        return req.redirect(to: "/privacy/requests/\(r.id!.uuidString)", saying: "Restriction lifted: case \(c.reference) can be changed again.")
    }
}
