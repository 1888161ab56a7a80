import Fluent
import Foundation
import LanternCore
import Vapor

/// Making and revoking API tokens: a person's own (personal access tokens) under Account, and
/// service accounts' under administration. A token is shown once, when it is made.
struct APITokensController: RouteCollection {
    static let accountPath = "/account/api-tokens"
    static let servicePath = "/admin/service-accounts"

    func boot(routes: any RoutesBuilder) throws {
        let own = routes.signedIn().grouped("account", "api-tokens")
        own.get { try await tokensPage($0, owner: $0.currentUser!) }
        own.post { try await create($0, owner: $0.currentUser!) }
        own.post(":tokenID", "revoke") { try await revoke($0, owner: $0.currentUser!) }

        let admin = routes.requiring(.manageUsers).grouped("admin", "service-accounts")
        admin.get(use: serviceAccounts)
        admin.post(use: createServiceAccount)
        admin.get(":userID") { try await tokensPage($0, owner: try await serviceAccount($0)) }
        admin.post(":userID") { try await create($0, owner: try await serviceAccount($0)) }
        admin.post(":userID", "revoke", ":tokenID") { try await revoke($0, owner: try await serviceAccount($0)) }
    }

    // MARK: Tokens

    struct TokenRow: Encodable {
        let id: String
        let name: String
        let prefix: String
        let scopes: [String]
        let created: String
        let expires: String
        let lastUsed: String
        let status: String
        let usable: Bool
    }

    struct TokensView: Encodable {
        let heading: String
        let intro: String
        let action: String
        let revokeBase: String
        let tokens: [TokenRow]
        let scopes: [SelectOption]
        let lifetimes: [SelectOption]
        let values: [String: String]
        let created: String?
        let errors: FormErrors
        let isService: Bool
    }

    struct Form: Content {
        var name: String?
        var scopes: [String]?
        var lifetime: String?
        var callsPerMinute: String?
    }

    private func paths(_ owner: User, _ req: Request) -> (action: String, revokeBase: String) {
        owner.serviceAccount == true && owner.id != req.currentUser?.id
            ? ("\(Self.servicePath)/\(owner.id!.uuidString)", "\(Self.servicePath)/\(owner.id!.uuidString)/revoke/")
            : (Self.accountPath, "\(Self.accountPath)/")
    }

    private func tokensPage(_ req: Request, owner: User, form: Form = Form(), errors: FormErrors = FormErrors(), created: String? = nil,
                            status: HTTPResponseStatus = .ok) async throws -> Response {
        let tokens = try await APIToken.query(on: req.db).filter(\.$owner.$id == owner.id!).sort(\.$createdAt, .descending).sort(\.$id).all()
        let now = req.lantern.now()
        let chosen = Set(form.scopes ?? [])
        let (action, revokeBase) = paths(owner, req)
        let isService = owner.serviceAccount == true
        let view = TokensView(
            heading: isService ? "API tokens for \(owner.displayName)" : "Your API tokens",
            intro: isService
                ? "This service account acts as a \(owner.role.displayName.lowercased()). Its tokens let another system use Lantern's API with no more than that role holds."
                : "A token lets another system use Lantern's API as you, with no more than your role holds and only the scopes you choose. Every call is written to the audit log under your name.",
            action: action, revokeBase: revokeBase,
            tokens: tokens.map { t in
                let expired = t.expiresAt <= now
                return TokenRow(id: t.id!.uuidString, name: t.name, prefix: t.prefix + "…", scopes: t.scopes.sorted { $0.rawValue < $1.rawValue }.map(\.summary),
                                created: DisplayDate.dateTime(t.createdAt), expires: DisplayDate.dateTime(t.expiresAt),
                                lastUsed: t.lastUsedAt.map(DisplayDate.dateTime) ?? "Never",
                                status: t.revokedAt != nil ? "Revoked" : expired ? "Expired" : "Active", usable: t.isUsable(at: now))
            },
            scopes: PermissionMatrix.permissions(of: owner.role).filter { owner.can($0) }.sorted { $0.rawValue < $1.rawValue }
                .map { SelectOption(value: $0.rawValue, label: $0.summary, selected: chosen.contains($0.rawValue)) },
            lifetimes: APITokenText.lifetimes.map { SelectOption(value: String($0), label: "\($0) days", selected: String($0) == (form.lifetime ?? "90")) },
            values: ["name": form.name ?? "", "callsPerMinute": form.callsPerMinute ?? String(APITokenText.defaultCallsPerMinute)],
            created: created, errors: errors, isService: isService)
        return try await req.render("API/tokens", view, title: view.heading, status: status)
    }

    private func create(_ req: Request, owner: User) async throws -> Response {
        let form = try req.form(Form.self)
        var errors = FormErrors()
        let name = (form.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { errors.add("name", "Enter a name that says which system uses the token") }
        else if name.count > 100 { errors.add("name", "The name must be 100 characters or fewer") }
        let asked = form.scopes ?? []
        let scopes = asked.compactMap(Permission.init(rawValue:))
        if asked.isEmpty { errors.add("scopes", "Choose at least one scope") }
        // A token never holds more than its owner's role: anything else is refused, not dropped.
        else if scopes.count != asked.count || scopes.contains(where: { !owner.can($0) }) {
            errors.add("scopes", "Choose scopes from the list: a token cannot hold more than its owner's role")
        }
        let lifetime = Int(form.lifetime ?? "").flatMap { APITokenText.lifetimes.contains($0) ? $0 : nil }
        if lifetime == nil { errors.add("lifetime", "Choose how long the token lasts") }
        let calls = Int((form.callsPerMinute ?? "").trimmingCharacters(in: .whitespaces))
        if calls.map({ !APITokenText.callLimits.contains($0) }) ?? true {
            errors.add("callsPerMinute", "Enter a whole number of calls a minute from 1 to 100,000")
        }
        guard errors.isEmpty, let lifetime, let calls else {
            return try await tokensPage(req, owner: owner, form: form, errors: errors, status: .unprocessableEntity)
        }
        let (token, text) = APIToken.issue(owner: owner, name: name, scopes: scopes, days: lifetime, callsPerMinute: calls,
                                           by: req.currentUser?.id, now: req.lantern.now())
        try await req.write(token, .create, .apiToken, detail: "for \(owner.id!.uuidString): \(token.scopeText)")
        return try await tokensPage(req, owner: owner, created: text)
    }

    private func revoke(_ req: Request, owner: User) async throws -> Response {
        guard let id = req.parameters.get("tokenID", as: UUID.self),
              let token = try await APIToken.query(on: req.db).filter(\.$id == id).filter(\.$owner.$id == owner.id!).first() else {
            throw LanternError(.notFound, "There is no such token.")
        }
        let (action, _) = paths(owner, req)
        guard token.revokedAt == nil else { return req.redirect(to: action, saying: "\(token.name) was already revoked.") }
        token.revokedAt = req.lantern.now()
        try await req.write(token, .revoke, .apiToken)
        return req.redirect(to: action, saying: "\(token.name) is revoked. Calls with it are refused from now on.")
    }

    // MARK: Service accounts

    /// Roles a service account may hold: none that opens case content, since no second person
    /// approves a service account as they approve a person's content role (`RoleGrantRule`).
    static var serviceRoles: [Role] { Role.allCases.filter { RoleGrantRule.content(of: $0).isEmpty && $0 != .administrator } }

    struct ServiceAccountsView: Encodable {
        struct Row: Encodable { let id: String; let name: String; let role: String; let tokens: Int; let status: String }
        let accounts: [Row]
        let roles: [SelectOption]
        let values: [String: String]
        let errors: FormErrors
    }

    struct ServiceForm: Content {
        var name: String?
        var role: String?
    }

    private func serviceAccount(_ req: Request) async throws -> User {
        guard let id = req.parameters.get("userID", as: UUID.self), let user = try await User.find(id, on: req.db), user.serviceAccount == true else {
            throw LanternError(.notFound, "There is no such service account.")
        }
        return user
    }

    func serviceAccounts(req: Request) async throws -> Response { try await serviceAccountsPage(req) }

    private func serviceAccountsPage(_ req: Request, form: ServiceForm = ServiceForm(), errors: FormErrors = FormErrors(), status: HTTPResponseStatus = .ok) async throws -> Response {
        let accounts = try await User.query(on: req.db).filter(\.$serviceAccount == true).sort(\.$displayName).sort(\.$id).all()
        var counts: [UUID: Int] = [:]
        let now = req.lantern.now()
        for token in try await APIToken.query(on: req.db).filter(\.$owner.$id ~~ accounts.compactMap(\.id)).all() where token.isUsable(at: now) {
            counts[token.$owner.id, default: 0] += 1
        }
        let view = ServiceAccountsView(
            accounts: accounts.map { .init(id: $0.id!.uuidString, name: $0.displayName, role: $0.role.displayName, tokens: counts[$0.id!] ?? 0, status: $0.isActive ? "Active" : "Deactivated") },
            roles: Self.serviceRoles.map { SelectOption(value: $0.rawValue, label: "\($0.displayName): \($0.purpose)", selected: $0.rawValue == form.role) },
            values: ["name": form.name ?? ""], errors: errors)
        return try await req.render("API/service-accounts", view, title: "Service accounts", status: status)
    }

    func createServiceAccount(req: Request) async throws -> Response {
        let form = try req.form(ServiceForm.self)
        var errors = FormErrors()
        let name = (form.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { errors.add("name", "Enter the name of the system the account is for") }
        else if name.count > 100 { errors.add("name", "The name must be 100 characters or fewer") }
        let role = form.role.flatMap(Role.init(rawValue:))
        if role == nil || !Self.serviceRoles.contains(role!) { errors.add("role", "Choose a role from the list") }
        guard errors.isEmpty, let role else { return try await serviceAccountsPage(req, form: form, errors: errors, status: .unprocessableEntity) }
        let id = UUID()
        // An address no mail server or identity provider will ever vouch for, so no one can sign in as it.
        let account = User(email: "service-\(id.uuidString.lowercased())@service-account.invalid", displayName: name, role: role, teamID: nil)
        account.id = id
        account.serviceAccount = true
        try await req.write(account, .create, .user, detail: "service account, \(role.rawValue)")
        return req.redirect(to: "\(Self.servicePath)/\(id.uuidString)", saying: "Service account \(name) created. Make a token for it below.")
    }
}
