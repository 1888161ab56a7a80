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
        var requireSSO: String?
        var breakGlassUserID: String?
    }

    struct View: Encodable {
        let values: Form
        let kinds: [SelectOption]
        let firstResponder: Bool
        let errors: FormErrors
        /// The identity provider's name, when single sign-on is configured.
        var sso: String?
        var administrators: [SelectOption] = []
    }

    /// Who may be the break-glass account: active administrators with a password.
    private func administrators(_ req: Request, selected: String?) async throws -> [SelectOption] {
        let admins = try await User.query(on: req.db).filter(\.$role == .administrator).filter(\.$isActive == true).filter(\.$passwordHash != nil).sort(\.$displayName).all()
        return [SelectOption(value: "", label: "Choose an administrator", selected: (selected ?? "").isEmpty)]
            + admins.map { SelectOption(value: $0.id!.uuidString, label: "\($0.displayName) (\($0.email))", selected: $0.id!.uuidString == selected) }
    }

    private func view(_ req: Request, _ values: Form, firstResponder: Bool, errors: FormErrors) async throws -> View {
        View(values: values, kinds: kinds(selected: values.kind), firstResponder: firstResponder, errors: errors,
             sso: req.application.identityProvider?.settings.providerName, administrators: try await administrators(req, selected: values.breakGlassUserID))
    }

    private func kinds(selected: String?) -> [SelectOption] {
        OrganisationKind.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0.rawValue == selected) }
    }

    func show(req: Request) async throws -> Response {
        let org = try await Organisation.current(on: req.db)
        let values = Form(name: org?.name, kind: org?.kind.rawValue, isFirstResponder: org?.isFirstResponder == true ? "yes" : "no",
                          financialYearEndDay: org.map { String($0.financialYearEndDay) } ?? "31",
                          financialYearEndMonth: org.map { String($0.financialYearEndMonth) } ?? "3",
                          requireTwoFactor: org?.requireTwoFactor == true ? "yes" : nil, requireSSO: org?.requireSSO == true ? "yes" : nil,
                          breakGlassUserID: org?.breakGlassUserID?.uuidString)
        let view = try await view(req, values, firstResponder: org?.isFirstResponder ?? false, errors: FormErrors())
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
        let requireSSO = form.requireSSO == "yes"
        let breakGlass = form.breakGlassUserID.flatMap(UUID.init(uuidString:))
        if requireSSO {
            if req.application.identityProvider == nil {
                errors.add("requireSSO", "Single sign-on is not set up (LANTERN_OIDC_ISSUER), so it cannot be required")
            } else if try await administrators(req, selected: nil).contains(where: { $0.value == breakGlass?.uuidString }) == false {
                errors.add("breakGlassUserID", "Choose the one administrator who may still sign in with a password, for when the identity provider is down")
            }
        }
        guard errors.isEmpty, let kind = input.kind, let month = input.financialYearEndMonth, let day = input.financialYearEndDay else {
            let view = try await view(req, form, firstResponder: input.isFirstResponder, errors: errors)
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
        let changesSSO = (org.requireSSO ?? false) != requireSSO || (requireSSO && org.breakGlassUserID != breakGlass)
        org.requireSSO = requireSSO
        org.breakGlassUserID = requireSSO ? breakGlass : nil
        let changes = [changesTwoFactor ? "two-factor authentication \(requireTwoFactor ? "required" : "no longer required") for case-content roles" : nil,
                       changesSSO ? (requireSSO ? "single sign-on required, break-glass account \(breakGlass!.uuidString)" : "single sign-on no longer required") : nil]
            .compactMap { $0 }
        try await req.write(org, .update, .organisation, detail: changes.isEmpty ? nil : changes.joined(separator: "; "))
        return req.redirect(to: "/admin/organisation", saying: "Organisation settings saved.")
    }
}
