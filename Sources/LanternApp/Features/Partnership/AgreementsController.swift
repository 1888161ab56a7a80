import Fluent
import Foundation
import LanternCore
import Vapor

/// The register of information-sharing agreements: one partner each, with the lawful basis,
/// the Schedule 1 condition, the data categories and the dates that decide whether a case may
/// be shared under it.
struct AgreementsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let group = routes.requiring(.managePartners).grouped("partners", "agreements")
        group.get(use: list)
        group.post(use: create)
        group.post(":agreementID", "end", use: end)
    }

    struct Row: Encodable {
        let id: String; let partner: String; let purpose: String; let basis: String; let categories: String
        let dates: String; let status: String; let shares: Int
    }

    struct View: Encodable {
        let rows: [Row]
        let partners: [SelectOption]
        let article6: [SelectOption]
        let article9: [SelectOption]
        let schedule1: [SelectOption]
        let categories: [SelectOption]
        let typed: TypedForm
        let errors: FormErrors
    }

    static func label(_ table: [(key: String, label: String)], _ key: String) -> String { table.first { $0.key == key }?.label ?? key }

    private func list(_ req: Request, typed: TypedForm = TypedForm(), chosenParts: Set<String> = []) async throws -> Response {
        let today = req.today
        let agreements = try await SharingAgreement.query(on: req.db).with(\.$partner).sort(\.$startsOn, .descending).sort(\.$id).all()
        let shares = Dictionary(grouping: try await CaseShare.query(on: req.db).filter(\.$withdrawnAt == nil).field(\.$id).field(\.$agreement.$id).all(),
                                by: { $0.$agreement.id })
        let rows = agreements.map { a in
            let ended = a.endsOn.flatMap { Day(parsing: $0) }.map { $0 < today } ?? false
            let overdue = (Day(parsing: a.reviewOn).map { $0 < today } ?? false) && !ended
            return Row(id: a.id!.uuidString, partner: a.partner.name, purpose: a.purpose,
                       basis: [Self.label(SharingRules.article6, a.article6), Self.label(SharingRules.article9, a.article9),
                               Self.label(SharingRules.schedule1, a.schedule1)].joined(separator: "; "),
                       categories: a.parts.map(\.short).joined(separator: ", "),
                       dates: "From \(Day(parsing: a.startsOn)?.long ?? a.startsOn), review by \(Day(parsing: a.reviewOn)?.long ?? a.reviewOn)"
                           + (a.endsOn.map { ", ends \(Day(parsing: $0)?.long ?? $0)" } ?? ""),
                       status: a.inForce(on: today) ? "In force" : ended ? "Ended" : overdue ? "Review overdue: nothing more can be shared" : "Not yet in force",
                       shares: shares[a.id!]?.count ?? 0)
        }
        let partners = try await PartnerOrganisation.query(on: req.db).filter(\.$isActive == true).sort(\.$name).all()
        func options(_ table: [(key: String, label: String)], _ field: String) -> [SelectOption] {
            [SelectOption(value: "", label: "Choose", selected: (typed.values[field] ?? "").isEmpty)]
                + table.map { SelectOption(value: $0.key, label: $0.label, selected: typed.values[field] == $0.key) }
        }
        let view = View(rows: rows,
                        partners: [SelectOption(value: "", label: "Choose a partner", selected: (typed.values["partner_id"] ?? "").isEmpty)]
                            + partners.map { SelectOption(value: $0.id!.uuidString, label: $0.name, selected: typed.values["partner_id"] == $0.id!.uuidString) },
                        article6: options(SharingRules.article6, "article6"), article9: options(SharingRules.article9, "article9"),
                        schedule1: options(SharingRules.schedule1, "schedule1"),
                        categories: SharingRules.Part.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: chosenParts.contains($0.rawValue)) },
                        typed: typed, errors: typed.errors)
        try await req.audit(.read, .sharingAgreement, detail: "register")
        return try await req.render("Partnership/agreements", view, title: "Information-sharing agreements", status: typed.errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func list(req: Request) async throws -> Response { try await list(req) }

    struct AgreementForm: Content {
        var partner_id: String?
        var purpose: String?
        var article6: String?
        var article9: String?
        var schedule1: String?
        var categories: [String]?
        var starts_on: String?
        var review_on: String?
        var ends_on: String?
        var document: String?
    }

    func create(req: Request) async throws -> Response {
        let form = try req.form(AgreementForm.self)
        func text(_ v: String?) -> String { (v ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        var typed = TypedForm(section: "agreement", values: ["partner_id": text(form.partner_id), "purpose": text(form.purpose), "article6": text(form.article6),
                                                             "article9": text(form.article9), "schedule1": text(form.schedule1), "starts_on": text(form.starts_on),
                                                             "review_on": text(form.review_on), "ends_on": text(form.ends_on), "document": text(form.document)])
        let v = typed.values
        let partner = try await UUID(uuidString: v["partner_id"]!).asyncFlatMap { try await PartnerOrganisation.find($0, on: req.db) }
        if partner == nil { typed.errors.add("partner_id", "Choose the partner the agreement is with") }
        if v["purpose"]!.isEmpty { typed.errors.add("purpose", "Say what the sharing is for") }
        else if v["purpose"]!.count > 1000 { typed.errors.add("purpose", "The purpose must be 1000 characters or fewer") }
        for (field, table, message) in [("article6", SharingRules.article6, "Choose the lawful basis under Article 6"),
                                        ("article9", SharingRules.article9, "Choose the Article 9 condition, or say no special category data is shared"),
                                        ("schedule1", SharingRules.schedule1, "Choose the Schedule 1 condition, or say none is needed")]
        where !table.contains(where: { $0.key == v[field] }) { typed.errors.add(field, message) }
        let parts = Set((form.categories ?? []).compactMap(SharingRules.Part.init(rawValue:)))
        if parts.isEmpty { typed.errors.add("categories", "Choose the categories of data the agreement covers") }
        if parts.contains(.exploitation), v["article9"] == "none" {
            typed.errors.add("article9", "The exploitation is special category data: choose the Article 9 condition it is shared under")
        }
        let start = Day(parsing: v["starts_on"]!), review = Day(parsing: v["review_on"]!)
        let end = v["ends_on"]!.isEmpty ? nil : Day(parsing: v["ends_on"]!)
        if start == nil { typed.errors.add("starts_on", "Enter the day the agreement starts, like 2026-04-01") }
        if review == nil { typed.errors.add("review_on", "Enter the day it is next reviewed, like 2027-03-31") }
        else if let start, review! < start { typed.errors.add("review_on", "The review must be on or after the start") }
        if !v["ends_on"]!.isEmpty, end == nil { typed.errors.add("ends_on", "Enter the end as a real date, or leave it empty") }
        else if let end, let start, end < start { typed.errors.add("ends_on", "The end must be on or after the start") }
        if v["document"]!.count > 300 { typed.errors.add("document", "The reference must be 300 characters or fewer") }
        guard typed.errors.isEmpty, let partner, let start, let review else {
            return try await list(req, typed: typed, chosenParts: Set(parts.map(\.rawValue)))
        }
        let a = SharingAgreement()
        a.$partner.id = partner.id!
        a.purpose = v["purpose"]!; a.article6 = v["article6"]!; a.article9 = v["article9"]!; a.schedule1 = v["schedule1"]!
        a.categories = SharingRules.Part.allCases.filter(parts.contains).map(\.rawValue).joined(separator: ",")
        a.startsOn = start.iso; a.reviewOn = review.iso; a.endsOn = end?.iso; a.document = v["document"]!
        a.createdAt = req.lantern.now(); a.createdBy = req.currentUser?.id
        try await req.write(a, .create, .sharingAgreement, detail: "\(partner.name): \(a.categories)")
        return req.redirect(to: "/partners/agreements", saying: "Agreement with \(partner.name) recorded.")
    }

    /// Ends an agreement today: every case shared under it stops being visible to the partner.
    func end(req: Request) async throws -> Response {
        guard let id = req.parameters.get("agreementID", as: UUID.self), let a = try await SharingAgreement.query(on: req.db).filter(\.$id == id).with(\.$partner).first() else {
            throw LanternError.notFound
        }
        guard req.isConfirmed else {
            return try await req.confirmation("End the agreement with \(a.partner.name) today?",
                                              ["Cases shared under it stop being visible to \(a.partner.name) at once, and nothing more can be shared under it."],
                                              button: "Yes, end it", cancel: "/partners/agreements")
        }
        a.endsOn = req.today.adding(days: -1).iso
        try await req.write(a, .update, .sharingAgreement, detail: "ended")
        return req.redirect(to: "/partners/agreements", saying: "The agreement with \(a.partner.name) has ended.")
    }
}
