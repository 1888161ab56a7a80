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

    struct FormView: Encodable { let values: [String: String]; let kinds: [SelectOption]; let errors: FormErrors }
    struct NewForm: Content { var kind: String?; var requester: String?; var details: String?; var received_on: String?; var case_reference: String? }

    private func newForm(_ req: Request, values: [String: String], errors: FormErrors = FormErrors()) async throws -> Response {
        try await req.render("Privacy/request-new", FormView(
            values: values, kinds: PrivacyRequest.kinds.map { SelectOption(value: $0.0, label: $0.1, selected: values["kind"] == $0.0) }, errors: errors),
            title: "Record a request to correct, erase or restrict data", status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func newForm(req: Request) async throws -> Response { try await newForm(req, values: ["received_on": req.today.iso]) }

    func create(req: Request) async throws -> Response {
        let form = try req.form(NewForm.self)
        let values = ["kind": FormText.trim(form.kind), "requester": FormText.trim(form.requester), "details": FormText.trim(form.details),
                      "received_on": FormText.trim(form.received_on), "case_reference": FormText.trim(form.case_reference)]
        var errors = FormErrors()
        if !PrivacyRequest.kinds.contains(where: { $0.0 == values["kind"] }) { errors.add("kind", "Choose what the person is asking for") }
        if values["requester"]!.isEmpty { errors.add("requester", "Enter who is asking") } else if values["requester"]!.count > 200 { errors.add("requester", "The name must be 200 characters or fewer") }
        if values["details"]!.isEmpty { errors.add("details", "Describe what they ask to be corrected, erased or restricted") }
        else if values["details"]!.count > 4000 { errors.add("details", "The details must be 4000 characters or fewer") }
        let received = Day(parsing: values["received_on"]!)
        if values["received_on"]!.isEmpty { errors.add("received_on", "Enter the date the request was received") }
        else if received == nil { errors.add("received_on", "Enter the date as a real date, like 2026-11-02 or 02/11/2026") }
        else if received! > req.today { errors.add("received_on", "The date received cannot be in the future") }
        var caseID: UUID?
        if !values["case_reference"]!.isEmpty {
            caseID = try await SafeguardingCase.query(on: req.db).filter(\.$reference == values["case_reference"]!).first()?.id
            if caseID == nil { errors.add("case_reference", "There is no case with the reference \(values["case_reference"]!)") }
        }
        guard errors.isEmpty, let received else { return try await newForm(req, values: values, errors: errors) }
        let r = PrivacyRequest()
        r.reference = try await SubjectAccessController.nextReference(req, prefix: "PR")
        r.kind = values["kind"]!
        r.receivedOn = received.iso
        r.dueOn = RequestDeadline.due(clockStart: received).iso
        r.caseID = caseID
        r.decision = "pending"
        r.createdAt = req.lantern.now()
        try r.seal(.init(requester: values["requester"]!, details: values["details"]!), with: req.cipher)
        try await req.db.writeTransaction { db in
            try await r.create(on: db)
            try await req.audit(.create, "PrivacyRequest", id: r.id?.uuidString, detail: r.kind, on: db)
        }
        req.flash("Request \(r.reference) recorded; a decision is due by \(Day(parsing: r.dueOn)!.long).")
        return req.redirect(to: "/privacy/requests/\(r.id!.uuidString)")
    }

    struct ShowView: Encodable {
        let id: String, reference: String, kind: String, kindLabel: String, requester: String, details: String
        let received: String, due: String, decision: String, reason: String, decidedOn: String, carriedOut: String
        let caseReference: String, caseLink: String, caseRestricted: Bool, caseErased: Bool
        /// Whoever the case's data was shared with, to be told of a correction or erasure.
        let recipients: [String]
        let values: [String: String]
        let errors: FormErrors
    }

    private func request(_ req: Request) async throws -> PrivacyRequest {
        guard let id = req.parameters.get("requestID", as: UUID.self), let r = try await PrivacyRequest.find(id, on: req.db) else { throw LanternError.notFound }
        return r
    }

    private func show(_ req: Request, _ r: PrivacyRequest, values: [String: String] = [:], errors: FormErrors = FormErrors()) async throws -> Response {
        let s = try r.open(with: req.cipher)
        let c = try await r.caseID.asyncFlatMap { try await SafeguardingCase.find($0, on: req.db) }
        try await req.audit(.read, "PrivacyRequest", id: r.id?.uuidString)
        var recipients: [String] = []
        if let id = r.caseID {
            for d in try await Disclosure.query(on: req.db).filter(\.$caseID == id).sort(\.$disclosedOn).all() {
                recipients.append("\(try d.open(with: req.cipher).recipient) (\(Day(parsing: d.disclosedOn)?.long ?? d.disclosedOn))")
            }
        }
        return try await req.render("Privacy/request", ShowView(
            id: r.id!.uuidString, reference: r.reference, kind: r.kind, kindLabel: PrivacyRequest.kinds.first { $0.0 == r.kind }?.1 ?? r.kind,
            requester: s.requester, details: s.details, received: Day(parsing: r.receivedOn)?.long ?? r.receivedOn,
            due: Day(parsing: r.dueOn)?.long ?? r.dueOn, decision: r.decision.replacingOccurrences(of: "_", with: " "), reason: s.reason,
            decidedOn: r.decidedOn.flatMap(Day.init(parsing:))?.long ?? "", carriedOut: r.carriedOutAt.map(DisplayDate.dateTime) ?? "",
            caseReference: c?.reference ?? "", caseLink: c.map { "/cases/\($0.id!.uuidString)" } ?? "",
            caseRestricted: c?.restrictedAt != nil, caseErased: c?.erasedAt != nil, recipients: recipients, values: values, errors: errors),
            title: "Request \(r.reference)", status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func show(req: Request) async throws -> Response { try await show(req, try await request(req)) }

    struct DecideForm: Content { var decision: String?; var reason: String?; var confirm_reference: String? }

    func decide(req: Request) async throws -> Response {
        let r = try await request(req)
        let form = try req.form(DecideForm.self)
        let values = ["decision": FormText.trim(form.decision), "reason": FormText.trim(form.reason), "confirm_reference": FormText.trim(form.confirm_reference)]
        var errors = FormErrors()
        if r.decision != "pending" { errors.add("decision", "This request has already been decided") }
        if !["granted", "partly_granted", "refused"].contains(values["decision"]!) { errors.add("decision", "Choose the decision") }
        if values["reason"]!.isEmpty { errors.add("reason", "Give the reason for the decision: the person is told it, and may complain to the ICO") }
        else if values["reason"]!.count > 4000 { errors.add("reason", "The reason must be 4000 characters or fewer") }
        let c = try await r.caseID.asyncFlatMap { try await SafeguardingCase.find($0, on: req.db) }
        let acting = values["decision"] != "refused"
        if acting, r.kind == "erasure", let c, values["confirm_reference"] != c.reference {
            errors.add("confirm_reference", "Type the case reference \(c.reference) to confirm: erasure cannot be undone")
        }
        guard errors.isEmpty else { return try await show(req, r, values: values, errors: errors) }
        var s = try r.open(with: req.cipher)
        s.reason = values["reason"]!
        try r.seal(s, with: req.cipher)
        r.decision = values["decision"]!
        r.decidedOn = req.today.iso
        r.decidedBy = req.currentUser?.id
        let now = req.lantern.now(), cipher = req.cipher
        var done = ""
        if acting, let c {
            switch r.kind {
            case "erasure":
                let reference = r.reference
                let result = try await req.db.writeTransaction { db in
                    let result = try await PersonErasure.eraseCase(c, on: db, cipher: cipher, now: now)
                    try await req.audit(.delete, "Case", id: c.id?.uuidString, detail: "personal data erased under \(reference)", on: db)
                    return result
                }
                r.carriedOutAt = now
                done = " The case's personal data was erased: \(result.concerns) linked \(result.concerns == 1 ? "concern" : "concerns"), \(result.records) records and \(result.files) files."
            case "restriction":
                c.restrictedAt = now
                let reference = r.reference
                try await req.db.writeTransaction { db in
                    try await c.save(on: db)
                    try await req.audit(.update, "Case", id: c.id?.uuidString, detail: "processing restricted under \(reference)", on: db)
                }
                r.carriedOutAt = now
                done = " Case \(c.reference) is restricted: it can be read but not changed until the restriction is lifted."
            default:
                // Contested opinions get the person's view added, not overwritten (referrals.md §7).
                let note = CaseNote()
                note.$safeguardingCase.id = c.id!
                note.authorID = req.currentUser?.id
                note.writtenAt = now
                try note.seal("The person's view (request \(r.reference)): \(s.details)", with: cipher)
                try await note.create(on: req.db)
                r.carriedOutAt = now
                done = " The person's view is added to case \(c.reference) as a note. Correct the record there, and tell the recipients listed below."
            }
        }
        try await req.db.writeTransaction { db in
            try await r.save(on: db)
            try await req.audit(.update, "PrivacyRequest", id: r.id?.uuidString, detail: "decided: \(r.decision)", on: db)
        }
        req.flash("Decision recorded.\(done)")
        return req.redirect(to: "/privacy/requests/\(r.id!.uuidString)")
    }

    func lift(req: Request) async throws -> Response {
        let r = try await request(req)
        guard r.kind == "restriction", let id = r.caseID, let c = try await SafeguardingCase.find(id, on: req.db), c.restrictedAt != nil else {
            throw LanternError(.conflict, "There is no restriction to lift on this request.")
        }
        c.restrictedAt = nil
        try await req.db.writeTransaction { db in
            try await c.save(on: db)
            try await req.audit(.update, "Case", id: c.id?.uuidString, detail: "restriction lifted under \(r.reference)", on: db)
        }
        req.flash("Restriction lifted: case \(c.reference) can be changed again.")
        return req.redirect(to: "/privacy/requests/\(r.id!.uuidString)")
    }
}
