import Fluent
import Foundation
import LanternCore
import Vapor

/// Subject access requests, from receipt to the copy sent: identity, the one-month deadline
/// (and its extension), a search across every feature, a reviewed bundle with third parties
/// redacted, and the export as JSON and PDF, each export entered in the disclosure log.
struct SubjectAccessController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let group = routes.requiring(.managePrivacyRequests).grouped("privacy")
        group.get(use: index)
        group.get("sar", "new", use: newForm)
        group.post("sar", use: create)
        group.get("sar", ":sarID", use: show)
        group.post("sar", ":sarID", "identity", use: identity)
        group.post("sar", ":sarID", "extend", use: extend)
        group.post("sar", ":sarID", "search", use: search)
        group.post("sar", ":sarID", "review", use: review)
        group.get("sar", ":sarID", "export.json", use: exportJSON)
        group.get("sar", ":sarID", "export.pdf", use: exportPDF)
        group.post("sar", ":sarID", "sent", use: sent)
    }

    struct Row: Encodable { let id: String; let reference: String; let received: String; let due: String; let status: String; let overdue: Bool; let link: String }

    struct IndexView: Encodable {
        let sars: [Row]
        let requests: [Row]
        let overdue: Int
    }

    func index(req: Request) async throws -> Response {
        let today = req.today.iso
        let sars = try await SubjectAccessRequest.query(on: req.db).sort(\.$dueOn).all()
        let requests = try await PrivacyRequest.query(on: req.db).sort(\.$dueOn).all()
        let sarRows = sars.map { s in
            Row(id: s.id!.uuidString, reference: s.reference, received: Day(parsing: s.receivedOn)?.long ?? s.receivedOn,
                due: Day(parsing: s.effectiveDue)?.long ?? s.effectiveDue, status: s.status.label,
                overdue: s.isOpen && s.effectiveDue < today, link: "/privacy/sar/\(s.id!.uuidString)")
        }
        let requestRows = requests.map { r in
            Row(id: r.id!.uuidString, reference: r.reference, received: Day(parsing: r.receivedOn)?.long ?? r.receivedOn,
                due: Day(parsing: r.dueOn)?.long ?? r.dueOn, status: "\(r.kind.capitalized): \(r.decision.label)",
                overdue: r.decision == .pending && r.dueOn < today, link: "/privacy/requests/\(r.id!.uuidString)")
        }
        try await req.audit(.read, .privacyRequests, detail: "list")
        return try await req.render("Privacy/index", IndexView(sars: sarRows, requests: requestRows, overdue: sarRows.filter(\.overdue).count + requestRows.filter(\.overdue).count),
                                    title: "Personal data requests")
    }


    struct NewView: Encodable { let values: SARForm; let errors: FormErrors }
    struct SARForm: Content {
        @FormField var name: String = ""
        @FormField var aliases: String = ""
        @FormField var date_of_birth: String = ""
        @FormField var references: String = ""
        @FormField var contact: String = ""
        @FormField var received_on: String = ""
    }

    func newForm(req: Request) async throws -> Response {
        try await req.render("Privacy/sar-new", NewView(values: SARForm(received_on: req.today.iso), errors: FormErrors()), title: "Record a subject access request")
    }

    func create(req: Request) async throws -> Response {
        let values = try req.form(SARForm.self)
        var errors = FormErrors()
        if values.name.isEmpty { errors.add("name", "Enter the name of the person asking") } else if values.name.count > 200 { errors.add("name", "The name must be 200 characters or fewer") }
        if values.aliases.count > 500 { errors.add("aliases", "Other names must be 500 characters or fewer") }
        if !values.date_of_birth.isEmpty {
            if let dob = Day(parsing: values.date_of_birth) { if dob > req.today { errors.add("date_of_birth", "The date of birth cannot be in the future") } }
            else { errors.add("date_of_birth", "Enter the date of birth as a real date, like 1990-04-01 or 01/04/1990") }
        }
        if values.references.count > 500 { errors.add("references", "References must be 500 characters or fewer") }
        if values.contact.isEmpty { errors.add("contact", "Enter how to send the copy: an address or email") } else if values.contact.count > 1000 { errors.add("contact", "The contact details must be 1000 characters or fewer") }
        let received = Day(parsing: values.received_on)
        if values.received_on.isEmpty { errors.add("received_on", "Enter the date the request was received") }
        else if received == nil { errors.add("received_on", "Enter the date as a real date, like 2026-11-02 or 02/11/2026") }
        else if received! > req.today { errors.add("received_on", "The date received cannot be in the future") }
        guard errors.isEmpty, let received else {
            return try await req.render("Privacy/sar-new", NewView(values: values, errors: errors), title: "Record a subject access request", status: .unprocessableEntity)
        }
        let sar = SubjectAccessRequest()
        sar.reference = try await RecordReference.counted(prefix: "SAR", year: req.today.year, in: SubjectAccessRequest.schema, on: req.db)
        sar.status = .received
        sar.receivedOn = received.iso
        sar.dueOn = RequestDeadline.due(clockStart: received).iso
        sar.createdAt = req.lantern.now()
        try sar.seal(.init(name: values.name, aliases: values.aliases, dateOfBirth: Day(parsing: values.date_of_birth)?.iso ?? "",
                           references: values.references, contact: values.contact), with: req.cipher)
        try await req.write(sar, .create, .subjectAccessRequest)
        return req.redirect(to: "/privacy/sar/\(sar.id!.uuidString)", saying: "Request \(sar.reference) recorded. The copy is due by \(Day(parsing: sar.dueOn)!.long).")
    }

    struct SARView: Encodable {
        struct Item: Encodable {
            let id: String; let kind: String; let title: String; let date: String; let match: String; let lines: [String]; let included: Bool
            let otherPeople: [OtherLine]
        }
        struct OtherLine: Encodable {
            let key: String; let text: String; let added: Bool
            var domID: String { key.replacingOccurrences(of: "#", with: "-") }
            enum CodingKeys: String, CodingKey { case key, text, added, domID }
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(key, forKey: .key); try c.encode(text, forKey: .text); try c.encode(added, forKey: .added); try c.encode(domID, forKey: .domID)
            }
        }
        let id: String
        let reference: String
        let status: String
        let person: [String: String]
        let received: String
        let due: String
        let overdue: Bool
        let extended: Bool
        let extensionReason: String
        let identity: String
        let identityVerified: Bool
        let searched: String
        let items: [Item]
        let redact: String
        let sentOn: String
        let values: [String: String]
        let errors: FormErrors
    }

    private func sar(_ req: Request) async throws -> SubjectAccessRequest {
        guard let id = req.parameters.get("sarID", as: UUID.self), let s = try await SubjectAccessRequest.find(id, on: req.db) else { throw LanternError.notFound }
        return s
    }

    private func show(_ req: Request, _ s: SubjectAccessRequest, values: [String: String] = [:], errors: FormErrors = FormErrors()) async throws -> Response {
        let secrets = try s.open(with: req.cipher)
        try await req.audit(.read, .subjectAccessRequest, id: s.id?.uuidString)
        let view = SARView(
            id: s.id!.uuidString, reference: s.reference, status: s.status.label,
            person: ["name": secrets.name, "aliases": secrets.aliases, "date_of_birth": Day(parsing: secrets.dateOfBirth)?.long ?? "",
                     "references": secrets.references, "contact": secrets.contact],
            received: Day(parsing: s.receivedOn)?.long ?? s.receivedOn, due: Day(parsing: s.effectiveDue)?.long ?? s.effectiveDue,
            overdue: s.isOpen && s.effectiveDue < req.today.iso, extended: s.extendedDueOn != nil, extensionReason: secrets.extensionReason ?? "",
            identity: s.identityVerifiedOn.map { "Verified on \(Day(parsing: $0)?.long ?? $0) by \(secrets.identityMethod ?? "")" } ?? "",
            identityVerified: s.identityVerifiedOn != nil, searched: Day(parsing: secrets.searchedOn)?.long ?? "",
            items: secrets.found.map { found in
                .init(id: found.id, kind: found.kind, title: found.title, date: found.date, match: found.match, lines: found.lines,
                      included: !secrets.excluded.contains(found.id),
                      otherPeople: (found.otherPeople ?? []).enumerated().map { index, text in
                          let key = Self.lineKey(found.id, index)
                          return .init(key: key, text: text, added: secrets.addedBack?.contains(key) == true)
                      })
            },
            redact: secrets.redact, sentOn: s.sentOn.flatMap(Day.init(parsing:))?.long ?? "", values: values, errors: errors)
        return try await req.render("Privacy/sar", view, title: "Subject access request \(s.reference)", status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func show(req: Request) async throws -> Response { try await show(req, try await sar(req)) }

    struct IdentityForm: Content {
        @FormField var method: String = ""
        @FormField var verified_on: String = ""
        @FormField var clock_from_evidence: String = ""
    }

    func identity(req: Request) async throws -> Response {
        let s = try await sar(req)
        let form = try req.form(IdentityForm.self)
        let values = form

        var errors = FormErrors()
        if values.method.isEmpty { errors.add("method", "Say how identity was confirmed, for example passport seen in person") }
        else if values.method.count > 300 { errors.add("method", "The method must be 300 characters or fewer") }
        let day = Day(parsing: values.verified_on)
        if values.verified_on.isEmpty { errors.add("verified_on", "Enter the date identity was confirmed") }
        else if day == nil { errors.add("verified_on", "Enter the date as a real date, like 2026-11-05 or 05/11/2026") }
        else if day! > req.today { errors.add("verified_on", "The date cannot be in the future") }
        else if day!.iso < s.receivedOn { errors.add("verified_on", "Identity is confirmed on or after the day the request arrived") }
        guard errors.isEmpty, let day else { return try await show(req, s, values: TypedForm.flatten(values), errors: errors) }
        s.identityVerifiedOn = day.iso
        var secrets = try s.open(with: req.cipher)
        secrets.identityMethod = values.method
        try s.seal(secrets, with: req.cipher)
        s.identityVerifiedBy = req.currentUser?.id
        // Where proof of identity was asked for, the month runs from the day it arrived.
        if values.clock_from_evidence == "yes", s.extendedDueOn == nil {
            s.dueOn = RequestDeadline.due(clockStart: RequestDeadline.clockStart(received: Day(parsing: s.receivedOn)!, identityEvidenceReceived: day)).iso
        }
        try await req.write(s, .update, .subjectAccessRequest, detail: "identity verified")
        return req.redirect(to: "/privacy/sar/\(s.id!.uuidString)", saying: "Identity confirmed. The copy is due by \(Day(parsing: s.effectiveDue)!.long).")
    }

    struct ExtendForm: Content {
        @FormField var reason: String = ""
        @FormField var told_on: String = ""
    }

    func extend(req: Request) async throws -> Response {
        let s = try await sar(req)
        let values = try req.form(ExtendForm.self)
        var errors = FormErrors()
        if values.reason.isEmpty { errors.add("reason", "Say why the request is complex or numerous") }
        else if values.reason.count > 1000 { errors.add("reason", "The reason must be 1000 characters or fewer") }
        let told = Day(parsing: values.told_on)
        let start = RequestDeadline.clockStart(received: Day(parsing: s.receivedOn)!, identityEvidenceReceived: nil)
        if values.told_on.isEmpty { errors.add("told_on", "Enter the date the person was told of the extension") }
        else if told == nil { errors.add("told_on", "Enter the date as a real date, like 2026-11-20 or 20/11/2026") }
        else if told! > req.today { errors.add("told_on", "The date cannot be in the future") }
        else if told!.iso > s.dueOn { errors.add("told_on", "An extension must be made within the first month: the person had to be told by \(Day(parsing: s.dueOn)!.long)") }
        if s.extendedDueOn != nil { errors.add("reason", "This request has already been extended") }
        guard errors.isEmpty, told != nil else { return try await show(req, s, values: TypedForm.flatten(values), errors: errors) }
        let firstDue = Day(parsing: s.dueOn)!
        // Two further months from the first deadline's clock start.
        let clock = firstDue == RequestDeadline.due(clockStart: start) ? start
            : RequestDeadline.clockStart(received: start, identityEvidenceReceived: s.identityVerifiedOn.flatMap(Day.init(parsing:)))
        s.extendedDueOn = RequestDeadline.extendedDue(clockStart: clock).iso
        var secrets = try s.open(with: req.cipher)
        secrets.extensionReason = values.reason
        try s.seal(secrets, with: req.cipher)
        s.personToldOn = told!.iso
        try await req.write(s, .update, .subjectAccessRequest, detail: "extended to \(s.extendedDueOn!)")
        return req.redirect(to: "/privacy/sar/\(s.id!.uuidString)", saying: "Extended: the copy is now due by \(Day(parsing: s.extendedDueOn!)!.long).")
    }

    /// The search walks every table of personal data, so it runs as a job; its page leads back here.
    func search(req: Request) async throws -> Response {
        let s = try await sar(req)
        let job = try await JobQueue.enqueue(kind: SubjectAccessSearchJob.kind, subject: s.id!.uuidString, uniqueKey: "sar-search:\(UUID().uuidString)",
                                             owner: req.currentUser?.id, nextPath: "/privacy/sar/\(s.id!.uuidString)#found", on: req.db, now: req.lantern.now())
        return req.redirect(to: "/jobs/\(job.id!.uuidString)")
    }

    func review(req: Request) async throws -> Response {
        let s = try await sar(req)
        struct ReviewForm: Content {
        @FormList var include: [String] = []
        @FormList var add_back: [String] = []
        @FormField var redact: String = ""
    }
        let form = try req.form(ReviewForm.self)
        var secrets = try s.open(with: req.cipher)
        let included = Set(form.include)
        secrets.excluded = secrets.found.map(\.id).filter { !included.contains($0) }
        let offered = Set(secrets.found.flatMap { found in (found.otherPeople ?? []).indices.map { Self.lineKey(found.id, $0) } })
        secrets.addedBack = (form.add_back).filter(offered.contains).sorted()
        secrets.redact = FormText.trim(form.redact)
        try s.seal(secrets, with: req.cipher)
        try await req.write(s, .update, .subjectAccessRequest, detail: "bundle reviewed: \(included.count) included")
        return req.redirect(to: "/privacy/sar/\(s.id!.uuidString)#found", saying: "Review saved: \(included.count) \(included.count == 1 ? "record" : "records") in the copy.")
    }

    static func lineKey(_ recordID: String, _ index: Int) -> String { "\(recordID)#\(index)" }

    /// The reviewed copy: included records only, other people's information only where the
    /// reviewer added it back, and every third-party name given replaced.
    static func bundle(_ s: SubjectAccessRequest, _ secrets: SubjectAccessRequest.Secrets) -> [PersonSearch.Found] {
        let names = secrets.redact.split(whereSeparator: { $0 == "," || $0 == "\n" || $0 == ";" })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        func redacted(_ text: String) -> String {
            names.reduce(text) { t, name in t.replacingOccurrences(of: name, with: "[redacted]", options: .caseInsensitive) }
        }
        let added = Set(secrets.addedBack ?? [])
        return secrets.found.filter { !secrets.excluded.contains($0.id) }.map { found in
            let others = (found.otherPeople ?? []).enumerated().filter { added.contains(lineKey(found.id, $0.offset)) }.map(\.element)
            return PersonSearch.Found(kind: found.kind, id: found.id, title: redacted(found.title), date: found.date, match: found.match,
                                      lines: (found.lines + others).map(redacted))
        }
    }

    private func exportable(_ req: Request) async throws -> (SubjectAccessRequest, SubjectAccessRequest.Secrets) {
        let s = try await sar(req)
        guard s.identityVerifiedOn != nil else {
            throw LanternError(.conflict, title: "Identity not confirmed", "Confirm the person's identity before exporting their copy.")
        }
        let secrets = try s.open(with: req.cipher)
        guard !secrets.searchedOn.isEmpty else { throw LanternError(.conflict, title: "Not searched yet", "Search for the person's records first.") }
        return (s, secrets)
    }

    /// Each export is a disclosure to the person, logged with what went.
    private func logDisclosure(_ req: Request, _ s: SubjectAccessRequest, _ secrets: SubjectAccessRequest.Secrets, count: Int, format: String) async throws {
        let d = Disclosure()
        d.disclosedOn = req.today.iso
        d.lawfulBasis = "subject_access"
        d.requestID = s.id
        d.recordedBy = req.currentUser?.id
        d.recordedAt = req.lantern.now()
        try d.seal(.init(recipient: "\(secrets.name) (the person, \(s.reference))", what: "Copy of \(count) records (\(format))"), with: req.cipher)
        try await req.write(d, .export, .subjectAccessRequest, id: s.id?.uuidString, detail: "\(format), \(count) records")
    }

    func exportJSON(req: Request) async throws -> Response {
        let (s, secrets) = try await exportable(req)
        let items = Self.bundle(s, secrets)
        struct Copy: Encodable { let reference: String; let produced: String; let records: [PersonSearch.Found] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(Copy(reference: s.reference, produced: req.today.iso, records: items))
        try await logDisclosure(req, s, secrets, count: items.count, format: "JSON")
        return req.download(data, type: "application/json; charset=utf-8", filename: "\(s.reference).json", noStore: true)
    }

    func exportPDF(req: Request) async throws -> Response {
        let (s, secrets) = try await exportable(req)
        let items = Self.bundle(s, secrets)
        var blocks: [TextPDF.Block] = [.title("Your personal data: \(s.reference)"),
                                       .paragraph("A copy of the records we hold about you, produced on \(req.today.long) in answer to your request received on \(Day(parsing: s.receivedOn)!.long). Information about other people has been removed.")]
        for item in items {
            blocks.append(.heading("\(item.title) (\(item.kind), \(item.date))"))
            blocks += item.lines.map { .paragraph($0) }
        }
        let pdf = try await DocumentPDF.render(title: "Subject access \(s.reference)", blocks: blocks)
        try await logDisclosure(req, s, secrets, count: items.count, format: "PDF")
        return req.download(pdf, type: "application/pdf", filename: "\(s.reference).pdf", noStore: true)
    }

    struct SentForm: Content {
        @FormField var sent_on: String = ""
    }

    func sent(req: Request) async throws -> Response {
        let s = try await sar(req)
        let raw = FormText.trim(try req.form(SentForm.self).sent_on)
        var errors = FormErrors()
        let day = Day(parsing: raw)
        if raw.isEmpty { errors.add("sent_on", "Enter the date the copy was sent") }
        else if day == nil { errors.add("sent_on", "Enter the date as a real date, like 2026-11-30 or 30/11/2026") }
        else if day! > req.today { errors.add("sent_on", "The date cannot be in the future") }
        if s.identityVerifiedOn == nil { errors.add("sent_on", "Confirm the person's identity before sending their copy") }
        guard errors.isEmpty, let day else { return try await show(req, s, values: ["sent_on": raw], errors: errors) }
        s.sentOn = day.iso
        s.status = .sent
        try await req.write(s, .update, .subjectAccessRequest, detail: "sent on \(day.iso)")
        return req.redirect(to: "/privacy/sar/\(s.id!.uuidString)", saying: "Recorded as sent on \(day.long)\(day.iso > s.effectiveDue ? ", after the deadline" : "").")
    }
}
