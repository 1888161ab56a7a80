import Fluent
import Foundation
import LanternCore
import Vapor

/// The disclosure log: every sharing of personal data with a partner or other third party.
/// Subject access exports add themselves; anything else shared is entered here.
struct DisclosuresController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let group = routes.requiring(.managePrivacyRequests).grouped("privacy", "disclosures")
        group.get(use: list)
        group.post(use: create)
    }

    struct Row: Encodable { let on: String; let recipient: String; let what: String; let basis: String; let by: String; let caseReference: String }
    struct View: Encodable { let rows: [Row]; let bases: [SelectOption]; let values: Form; let errors: FormErrors }
    struct Form: Content {
        @FormField var recipient: String = ""
        @FormField var what: String = ""
        @FormField var lawful_basis: String = ""
        @FormField var disclosed_on: String = ""
        @FormField var case_reference: String = ""
    }

    private func list(_ req: Request, values: Form? = nil, errors: FormErrors = FormErrors()) async throws -> Response {
        let all = try await Disclosure.query(on: req.db).sort(\.$disclosedOn, .descending).sort(\.$recordedAt, .descending).limit(500).all()
        let users = Dictionary(try await User.query(on: req.db).all().map { ($0.id!, $0.displayName) }, uniquingKeysWith: { a, _ in a })
        let caseIDs = all.compactMap(\.caseID)
        let cases = caseIDs.isEmpty ? [:] : Dictionary(try await SafeguardingCase.query(on: req.db).filter(\.$id ~~ caseIDs).all().map { ($0.id!, $0.reference) },
                                                       uniquingKeysWith: { a, _ in a })
        let rows = try all.map { d in
            let s = try d.open(with: req.cipher)
            return Row(on: Day(parsing: d.disclosedOn)?.long ?? d.disclosedOn, recipient: s.recipient, what: s.what,
                       basis: Disclosure.bases.first { $0.0 == d.lawfulBasis }?.1 ?? d.lawfulBasis, by: d.recordedBy.flatMap { users[$0] } ?? "",
                       caseReference: d.caseID.flatMap { cases[$0] } ?? "")
        }
        try await req.audit(.read, .disclosure, detail: "log")
        return try await req.render("Privacy/disclosures", View(
            rows: rows, bases: Disclosure.bases.map { SelectOption(value: $0.0, label: $0.1, selected: values?.lawful_basis == $0.0) },
            values: values ?? Form(disclosed_on: req.today.iso), errors: errors),
            title: "Disclosure log", status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func list(req: Request) async throws -> Response { try await list(req) }

    func create(req: Request) async throws -> Response {
        let values = try req.form(Form.self)
        var errors = FormErrors()
        if values.recipient.isEmpty { errors.add("recipient", "Enter who the data went to") } else if values.recipient.count > 300 { errors.add("recipient", "The recipient must be 300 characters or fewer") }
        if values.what.isEmpty { errors.add("what", "Describe what was shared") } else if values.what.count > 2000 { errors.add("what", "The description must be 2000 characters or fewer") }
        if !Disclosure.bases.contains(where: { $0.0 == values.lawful_basis }) { errors.add("lawful_basis", "Choose the lawful basis for sharing") }
        let day = Day(parsing: values.disclosed_on)
        if values.disclosed_on.isEmpty { errors.add("disclosed_on", "Enter the date it was shared") }
        else if day == nil { errors.add("disclosed_on", "Enter the date as a real date, like 2026-11-02 or 02/11/2026") }
        else if day! > req.today { errors.add("disclosed_on", "The date cannot be in the future") }
        var caseID: UUID?
        if !values.case_reference.isEmpty {
            caseID = try await SafeguardingCase.query(on: req.db).filter(\.$reference == values.case_reference).first()?.id
            if caseID == nil { errors.add("case_reference", "There is no case with the reference \(values.case_reference)") }
        }
        guard errors.isEmpty, let day else { return try await list(req, values: values, errors: errors) }
        let d = Disclosure()
        d.disclosedOn = day.iso
        d.lawfulBasis = values.lawful_basis
        d.caseID = caseID
        d.recordedBy = req.currentUser?.id
        d.recordedAt = req.lantern.now()
        try d.seal(.init(recipient: values.recipient, what: values.what), with: req.cipher)
        try await req.write(d, .create, .disclosure)
        return req.redirect(to: "/privacy/disclosures", saying: "Disclosure recorded.")
    }
}
