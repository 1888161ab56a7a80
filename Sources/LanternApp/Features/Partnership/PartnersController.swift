import Fluent
import Foundation
import LanternCore
import Vapor

/// The register of partner organisations, and the list of areas figures are shown by.
struct PartnersController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let group = routes.requiring(.managePartners).grouped("partners")
        group.get(use: list)
        group.post(use: create)
        group.post("areas", use: addArea)
        group.post("areas", ":areaID", "remove", use: removeArea)
        group.get(":partnerID", use: show)
        group.post(":partnerID", use: update)
    }

    struct Row: Encodable { let id: String; let name: String; let kind: String; let contact: String; let active: Bool; let people: Int; let returns: Int }
    struct Area: Encodable { let id: String; let name: String; let kind: String }

    struct ListView: Encodable {
        let partners: [Row]
        let areas: [Area]
        let kinds: [SelectOption]
        let areaKinds: [SelectOption]
        let typed: TypedForm
        /// The add form's values, kept when it is refused.
        let values: [String: String]
        let errors: FormErrors
    }

    struct PartnerForm: Content {
        @FormField var name: String = ""
        @FormField var kind: String = ""
        @FormField var contact_name: String = ""
        @FormField var contact_email: String = ""
        @FormField var contact_phone: String = ""
        @FormField var active: String = ""
    }

    static func kindOptions(_ selected: String) -> [SelectOption] {
        [SelectOption(value: "", label: "Choose the kind", selected: selected.isEmpty)]
            + PartnerKind.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == selected) }
    }

    private func list(_ req: Request, typed: TypedForm = TypedForm()) async throws -> Response {
        let partners = try await PartnerOrganisation.query(on: req.db).sort(\.$name).all()
        let people = Dictionary(grouping: try await User.query(on: req.db).filter(\.$partnerID != nil).field(\.$id).field(\.$partnerID).all(), by: { $0.partnerID! })
        let returns = Dictionary(grouping: try await DataReturn.query(on: req.db).field(\.$id).field(\.$partner.$id).all(), by: { $0.$partner.id })
        let rows = partners.map { p in
            Row(id: p.id!.uuidString, name: p.name, kind: p.kind.label, contact: [p.contactName, p.contactEmail, p.contactPhone].filter { !$0.isEmpty }.joined(separator: ", "),
                active: p.isActive, people: people[p.id!]?.count ?? 0, returns: returns[p.id!]?.count ?? 0)
        }
        let areas = try await PartnershipArea.query(on: req.db).sort(\.$name).all()
            .map { area in Area(id: area.id!.uuidString, name: area.name, kind: PartnershipArea.kinds.first { $0.0 == area.kind }?.1 ?? area.kind) }
        try await req.audit(.read, .partnerOrganisation, detail: "register")
        let view = ListView(partners: rows, areas: areas, kinds: Self.kindOptions(typed.section == "partner" ? typed.values["kind"] ?? "" : ""),
                            areaKinds: PartnershipArea.kinds.map { SelectOption(value: $0.0, label: $0.1, selected: typed.values["area_kind"] == $0.0) },
                            typed: typed, values: typed.section == "partner" ? typed.values : [:], errors: typed.errors)
        return try await req.render("Partnership/partners", view, title: "Partner organisations", status: typed.errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func list(req: Request) async throws -> Response { try await list(req) }

    /// Checks a partner's fields; `existing` is the one being changed, if any.
    private func check(_ form: PartnerForm, existing: PartnerOrganisation?, on db: any Database, _ errors: inout FormErrors) async throws -> PartnerKind? {
        if form.name.isEmpty { errors.add("name", "Enter the organisation's name") }
        else if form.name.count > 200 { errors.add("name", "The name must be 200 characters or fewer") }
        else if let other = try await PartnerOrganisation.query(on: db).filter(\.$name == form.name).first(), other.id != existing?.id {
            errors.add("name", "\(form.name) is already on the register")
        }
        let kind = PartnerKind(rawValue: form.kind)
        if kind == nil { errors.add("kind", "Choose what kind of organisation it is") }
        if form.contact_name.count > 200 { errors.add("contact_name", "The contact's name must be 200 characters or fewer") }
        if !form.contact_email.isEmpty, !EmailAddress.isPlausible(form.contact_email) {
            errors.add("contact_email", "Enter an email address in the correct format, like name@example.police.uk")
        }
        if form.contact_phone.count > 40 { errors.add("contact_phone", "The phone number must be 40 characters or fewer") }
        return kind
    }

    private func apply(_ form: PartnerForm, kind: PartnerKind, to partner: PartnerOrganisation) {
        partner.name = form.name
        partner.kind = kind
        partner.contactName = form.contact_name
        partner.contactEmail = form.contact_email.lowercased()
        partner.contactPhone = form.contact_phone
    }

    func create(req: Request) async throws -> Response {
        let form = try req.form(PartnerForm.self)
        var typed = TypedForm(section: "partner", form: form)
        let kind = try await check(form, existing: nil, on: req.db, &typed.errors)
        guard typed.errors.isEmpty, let kind else { return try await list(req, typed: typed) }
        let partner = PartnerOrganisation()
        apply(form, kind: kind, to: partner)
        partner.isActive = true
        partner.createdAt = req.lantern.now()
        try await req.write(partner, .create, .partnerOrganisation, detail: partner.name)
        return req.redirect(to: "/partners/\(partner.id!.uuidString)", saying: "\(partner.name) added to the partnership. Invite its people with the partner role from the people page.")
    }

    struct PartnerView: Encodable {
        struct Person: Encodable { let name: String; let email: String; let status: String }
        let id: String
        let values: [String: String]
        let kinds: [SelectOption]
        let people: [Person]
        let returns: Int
        let errors: FormErrors
    }

    private func find(_ req: Request) async throws -> PartnerOrganisation {
        guard let id = req.parameters.get("partnerID", as: UUID.self), let partner = try await PartnerOrganisation.find(id, on: req.db) else {
            throw LanternError.notFound
        }
        return partner
    }

    private func page(_ req: Request, _ partner: PartnerOrganisation, values: [String: String]? = nil, errors: FormErrors = FormErrors()) async throws -> Response {
        let people = try await User.query(on: req.db).filter(\.$partnerID == partner.id!).sort(\.$displayName).all()
            .map { PartnerView.Person(name: $0.displayName, email: $0.email, status: $0.status) }
        let shown = values ?? ["name": partner.name, "kind": partner.kind.rawValue, "contact_name": partner.contactName,
                               "contact_email": partner.contactEmail, "contact_phone": partner.contactPhone, "active": partner.isActive ? "yes" : ""]
        let view = PartnerView(id: partner.id!.uuidString, values: shown, kinds: Self.kindOptions(shown["kind"] ?? ""), people: people,
                               returns: try await DataReturn.query(on: req.db).filter(\.$partner.$id == partner.id!).count(), errors: errors)
        return try await req.render("Partnership/partner", view, title: partner.name, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func show(req: Request) async throws -> Response {
        let partner = try await find(req)
        try await req.audit(.read, .partnerOrganisation, id: partner.id!.uuidString)
        return try await page(req, partner)
    }

    func update(req: Request) async throws -> Response {
        let partner = try await find(req)
        let form = try req.form(PartnerForm.self)
        var errors = FormErrors()
        let kind = try await check(form, existing: partner, on: req.db, &errors)
        guard errors.isEmpty, let kind else { return try await page(req, partner, values: TypedForm.flatten(form), errors: errors) }
        apply(form, kind: kind, to: partner)
        partner.isActive = form.active == "yes"
        try await req.write(partner, .update, .partnerOrganisation, detail: partner.isActive ? partner.name : "\(partner.name), inactive")
        return req.redirect(to: "/partners/\(partner.id!.uuidString)", saying: partner.isActive ? "\(partner.name) saved." : "\(partner.name) saved as inactive: it can no longer submit returns.")
    }

    struct AreaForm: Content {
        @FormField var area_name: String = ""
        @FormField var area_kind: String = ""
    }

    func addArea(req: Request) async throws -> Response {
        let form = try req.form(AreaForm.self)
        var typed = TypedForm(section: "area", form: form)
        if form.area_name.isEmpty { typed.errors.add("area_name", "Enter the ward or postcode district") }
        else if form.area_name.count > 80 { typed.errors.add("area_name", "The area's name must be 80 characters or fewer") }
        else if try await PartnershipArea.query(on: req.db).all().contains(where: { ReturnValues.key($0.name) == ReturnValues.key(form.area_name) }) {
            typed.errors.add("area_name", "\(form.area_name) is already on the list")
        }
        if !PartnershipArea.kinds.contains(where: { $0.0 == form.area_kind }) { typed.errors.add("area_kind", "Choose whether it is a ward or a postcode district") }
        guard typed.errors.isEmpty else { return try await list(req, typed: typed) }
        let area = PartnershipArea()
        area.name = form.area_name
        area.kind = form.area_kind
        area.createdAt = req.lantern.now()
        try await req.write(area, .create, .partnershipArea, detail: area.name)
        return req.redirect(to: "/partners#areas", saying: "\(area.name) added to the areas.")
    }

    func removeArea(req: Request) async throws -> Response {
        guard let id = req.parameters.get("areaID", as: UUID.self), let area = try await PartnershipArea.find(id, on: req.db) else { throw LanternError.notFound }
        guard req.isConfirmed else {
            return try await req.confirmation("Remove \(area.name) from the areas?",
                                              ["Records already received keep it, and it still shows in the figures where they count. New returns can no longer use it."],
                                              button: "Yes, remove it", cancel: "/partners#areas")
        }
        try await req.db.writeTransaction { db in
            try await area.delete(on: db)
            try await req.audit(.delete, .partnershipArea, id: id.uuidString, detail: area.name, on: db)
        }
        return req.redirect(to: "/partners#areas", saying: "\(area.name) removed from the areas.")
    }
}
