import Fluent
import Foundation
import LanternCore
import Vapor

/// The organisation's settings: name, kind, First Responder status, financial year end, and
/// whether roles that see case content must use two-factor authentication.
struct OrganisationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let settings = routes.requiring(.manageOrganisation).grouped("admin", "organisation")
        settings.get(use: show)
        settings.post(use: save)
    }

    struct Form: Content {
        var name: String?
        var kind: String?
        var isFirstResponder: String?
        var financialYearEndDay: String?
        var financialYearEndMonth: String?
        var requireTwoFactor: String?
    }

    struct View: Encodable {
        let values: Form
        let kinds: [SelectOption]
        let firstResponder: Bool
        let errors: FormErrors
    }

    private func kinds(selected: String?) -> [SelectOption] {
        OrganisationKind.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0.rawValue == selected) }
    }

    func show(req: Request) async throws -> Response {
        let org = try await Organisation.current(on: req.db)
        let values = Form(name: org?.name, kind: org?.kind.rawValue, isFirstResponder: org?.isFirstResponder == true ? "yes" : "no",
                          financialYearEndDay: org.map { String($0.financialYearEndDay) } ?? "31",
                          financialYearEndMonth: org.map { String($0.financialYearEndMonth) } ?? "3",
                          requireTwoFactor: org?.requireTwoFactor == true ? "yes" : nil)
        let view = View(values: values, kinds: kinds(selected: values.kind), firstResponder: org?.isFirstResponder ?? false, errors: FormErrors())
        return try await req.render("Organisation/settings", view, title: "Organisation settings")
    }

    func save(req: Request) async throws -> Response {
        let form = try req.form(Form.self)
        let input = OrganisationSettingsInput(
            name: form.name ?? "", kind: form.kind.flatMap(OrganisationKind.init(rawValue:)),
            isFirstResponder: form.isFirstResponder == "yes",
            financialYearEndMonth: form.financialYearEndMonth.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) },
            financialYearEndDay: form.financialYearEndDay.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) })
        var errors = FormErrors(input.validate())
        if form.isFirstResponder != "yes" && form.isFirstResponder != "no" {
            errors.add("isFirstResponder", "Select whether the organisation is a First Responder")
        }
        guard errors.isEmpty, let kind = input.kind, let month = input.financialYearEndMonth, let day = input.financialYearEndDay else {
            let view = View(values: form, kinds: kinds(selected: form.kind), firstResponder: input.isFirstResponder, errors: errors)
            return try await req.render("Organisation/settings", view, title: "Organisation settings", status: .unprocessableEntity)
        }
        let org = try await Organisation.current(on: req.db) ?? Organisation()
        org.name = input.name.trimmingCharacters(in: .whitespacesAndNewlines)
        org.kind = kind
        org.isFirstResponder = input.isFirstResponder
        org.financialYearEndMonth = month
        org.financialYearEndDay = day
        let requireTwoFactor = form.requireTwoFactor == "yes"
        let changesTwoFactor = (org.requireTwoFactor ?? false) != requireTwoFactor
        org.requireTwoFactor = requireTwoFactor
        try await req.write(org, .update, .organisation, detail: changesTwoFactor ? "two-factor authentication \(requireTwoFactor ? "required" : "no longer required") for case-content roles" : nil)
        return req.redirect(to: "/admin/organisation", saying: "Organisation settings saved.")
    }
}
