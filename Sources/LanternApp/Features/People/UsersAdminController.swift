import Fluent
import Foundation
import LanternCore
import Vapor

/// Administrator pages: invite people, change their role and team, deactivate and reactivate.
struct UsersAdminController: RouteCollection {
    static let invitationLifetime: TimeInterval = 7 * 24 * 60 * 60

    func boot(routes: any RoutesBuilder) throws {
        let users = routes.requiring(.manageUsers).grouped("admin", "users")
        users.get(use: list)
        users.get("invite", use: showInvite)
        users.post("invite", use: invite)
        users.get(":userID", use: show)
        users.post(":userID", "role", use: changeRole)
        users.post(":userID", "deactivate", use: deactivate)
        users.post(":userID", "reactivate", use: reactivate)
        users.post(":userID", "invitation", use: reissueInvitation)
    }

    struct Row: Encodable {
        let id: String
        let name: String
        let email: String
        let role: String
        let team: String
        let status: String
        let lastSignIn: String
    }

    struct ListView: Encodable {
        let users: [Row]
        let counts: [String: Int]
    }

    func list(req: Request) async throws -> Response {
        // Service accounts have their own page (`APITokensController`).
        let users = try await User.query(on: req.db).group(.or) { $0.filter(\.$serviceAccount == nil).filter(\.$serviceAccount == false) }
            .with(\.$team).sort(\.$displayName).all()
        let rows = users.map { u in
            Row(id: u.id!.uuidString, name: u.displayName, email: u.email, role: u.role.displayName,
                team: u.team?.name ?? "None", status: u.status,
                lastSignIn: u.lastSignInAt.map(DisplayDate.dateTime) ?? "Never")
        }
        let counts = Dictionary(grouping: users, by: \.status).mapValues(\.count)
        try await req.audit(.read, .userList)
        return try await req.render("People/users", ListView(users: rows, counts: counts), title: "People")
    }

    // MARK: Invite

    struct InviteForm: Content {
        var displayName: String?
        var email: String?
        var role: String?
        var teamID: String?
        var jobTitle: String?
        var partnerID: String?
    }

    struct InviteView: Encodable {
        let values: InviteForm
        let roles: [SelectOption]
        let teams: [SelectOption]
        let partners: [SelectOption]
        let errors: FormErrors
    }

    static func roleOptions(selected: String?) -> [SelectOption] {
        Role.allCases.map { SelectOption(value: $0.rawValue, label: "\($0.displayName): \($0.purpose)", selected: $0.rawValue == selected) }
    }

    static func teamOptions(_ teams: [Team], selected: String?) -> [SelectOption] {
        [SelectOption(value: "", label: "No team", selected: (selected ?? "").isEmpty)]
            + teams.map { SelectOption(value: $0.id!.uuidString, label: $0.name, selected: $0.id?.uuidString == selected) }
    }

    static func partnerOptions(_ req: Request, selected: String?) async throws -> [SelectOption] {
        [SelectOption(value: "", label: "Not a partner's staff", selected: (selected ?? "").isEmpty)]
            + (try await PartnerOrganisation.query(on: req.db).filter(\.$isActive == true).sort(\.$name).all())
                .map { SelectOption(value: $0.id!.uuidString, label: $0.name, selected: $0.id?.uuidString == selected) }
    }

    /// The partner organisation a role needs: the partner role, one active partner; any other role, none.
    static func partner(for role: Role?, _ raw: String?, on db: any Database, _ errors: inout FormErrors) async throws -> UUID? {
        let id = raw.flatMap { $0.isEmpty ? nil : UUID(uuidString: $0) }
        guard role == .partner else {
            if !(raw ?? "").isEmpty { errors.add("partnerID", "Only the partner role belongs to a partner organisation: choose \u{201C}Not a partner's staff\u{201D}") }
            return nil
        }
        guard let id, let partner = try await PartnerOrganisation.find(id, on: db), partner.isActive else {
            errors.add("partnerID", "Choose the partner organisation the person works for")
            return nil
        }
        return partner.id
    }

    func showInvite(req: Request) async throws -> Response {
        let teams = try await Team.query(on: req.db).sort(\.$name).all()
        let view = InviteView(values: InviteForm(), roles: Self.roleOptions(selected: nil),
                              teams: Self.teamOptions(teams, selected: nil), partners: try await Self.partnerOptions(req, selected: nil), errors: FormErrors())
        return try await req.render("People/invite", view, title: "Invite a person")
    }

    func invite(req: Request) async throws -> Response {
        var form = try req.form(InviteForm.self)
        form.displayName = form.displayName?.trimmingCharacters(in: .whitespacesAndNewlines)
        form.email = form.email.map(User.normalise(email:))
        form.jobTitle = form.jobTitle?.trimmingCharacters(in: .whitespacesAndNewlines)
        let teams = try await Team.query(on: req.db).sort(\.$name).all()
        var errors = FormErrors()
        let name = form.displayName ?? ""
        let email = form.email ?? ""
        if name.isEmpty { errors.add("displayName", "Enter the person's full name") }
        else if name.count > 120 { errors.add("displayName", "The name must be 120 characters or fewer") }
        if email.isEmpty { errors.add("email", "Enter the person's work email address") }
        else if !EmailAddress.isPlausible(email) { errors.add("email", "Enter an email address in the correct format, like name@example.gov.uk") }
        else if try await User.query(on: req.db).filter(\.$email == email).first() != nil {
            errors.add("email", "Someone with this email address already has an account")
        }
        let role = form.role.flatMap(Role.init(rawValue:))
        if role == nil { errors.add("role", "Select a role") }
        let teamID = form.teamID.flatMap { $0.isEmpty ? nil : UUID(uuidString: $0) }
        if let raw = form.teamID, !raw.isEmpty, teamID == nil || !teams.contains(where: { $0.id == teamID }) {
            errors.add("teamID", "Select a team from the list")
        }
        if (form.jobTitle ?? "").count > 120 { errors.add("jobTitle", "The job title must be 120 characters or fewer") }
        let partnerID = try await Self.partner(for: role, form.partnerID, on: req.db, &errors)
        guard errors.isEmpty, let role else {
            let view = InviteView(values: form, roles: Self.roleOptions(selected: form.role),
                                  teams: Self.teamOptions(teams, selected: form.teamID),
                                  partners: try await Self.partnerOptions(req, selected: form.partnerID), errors: errors)
            return try await req.render("People/invite", view, title: "Invite a person", status: .unprocessableEntity)
        }
        let user = User(email: email, displayName: name, role: role, teamID: teamID,
                        jobTitle: (form.jobTitle ?? "").isEmpty ? nil : form.jobTitle)
        user.partnerID = partnerID
        let token = SecretToken.generate()
        user.invitationDigest = SecretToken.digest(token)
        user.invitationExpiresAt = req.lantern.now().addingTimeInterval(Self.invitationLifetime)
        // A role that sees case content opens nothing until a second person approves it.
        let needsApproval = RoleGrantRule.needsApproval(from: nil, to: role, teamChanges: false)
        if needsApproval { user.roleApproved = false }
        try await req.write(user, .invite, .user, detail: "role:" + role.rawValue)
        if needsApproval { try await askForApproval(req, user: user, role: role, teamID: teamID) }
        return try await renderInvitationLink(req: req, user: user, token: token)
    }

    struct InvitationLinkView: Encodable {
        let name: String
        let email: String
        let link: String
        let expires: String
        let userID: String
    }

    /// The link is shown once, and emailed to the person; only its digest is kept.
    private func renderInvitationLink(req: Request, user: User, token: String) async throws -> Response {
        try await Mailbox.enqueue(MailMessage(to: user.email, subject: "You have been invited to Lantern", body: """
            You have been given an account on Lantern, the system your organisation uses for its modern slavery and safeguarding work.

            To choose your password and sign in for the first time, open this link within 7 days. It works once:

            \(Mailbox.link(req.application, "/invitations/\(token)"))

            If you were not expecting this, ignore this email and tell your IT service desk.
            """), kind: "invitation", on: req.db, cipher: req.cipher, now: req.lantern.now())
        let base = req.headers.first(name: .host).map { "\(req.lantern.configuration.behindTLS ? "https" : "http")://\($0)" } ?? ""
        let view = InvitationLinkView(name: user.displayName, email: user.email, link: "\(base)/invitations/\(token)",
                                      expires: DisplayDate.dateTime(user.invitationExpiresAt!), userID: user.id!.uuidString)
        return try await req.render("People/invitation-link", view, title: "Invitation created")
    }

    // MARK: One person

    struct PersonView: Encodable {
        let id: String
        let name: String
        let email: String
        let role: String
        let roleValue: String
        let team: String
        let jobTitle: String
        let status: String
        let isActive: Bool
        let isInvited: Bool
        let isSelf: Bool
        let lastSignIn: String
        /// The role asked for and who approves it, while a request is open.
        let pendingRequest: String
        /// On since when, or off; and a reset waiting for approval, if any.
        let twoFactor: String
        let twoFactorResetPending: Bool
        let roles: [SelectOption]
        let teams: [SelectOption]
        let partners: [SelectOption]
        let errors: FormErrors
    }

    private func findUser(_ req: Request) async throws -> User {
        guard let id = req.parameters.get("userID").flatMap(UUID.init(uuidString:)),
              let user = try await User.query(on: req.db).filter(\.$id == id).with(\.$team).first()
        else { throw LanternError.notFound }
        return user
    }

    private func personView(req: Request, user: User, errors: FormErrors = FormErrors()) async throws -> PersonView {
        let teams = try await Team.query(on: req.db).sort(\.$name).all()
        return PersonView(
            id: user.id!.uuidString, name: user.displayName, email: user.email, role: user.role.displayName,
            roleValue: user.role.rawValue, team: user.team?.name ?? "None", jobTitle: user.jobTitle ?? "",
            status: user.status, isActive: user.isActive, isInvited: user.passwordHash == nil,
            isSelf: user.id == req.currentUser?.id,
            lastSignIn: user.lastSignInAt.map(DisplayDate.dateTime) ?? "Never",
            pendingRequest: try await RoleGrantRequest.pending(for: user.id!, on: req.db).map {
                "\($0.role.displayName), asked for on \(DisplayDate.dateTime($0.requestedAt)). It sees case content, so \(RoleGrantRule.approver(for: $0.role) == .dataProtectionOfficer ? "the data protection officer" : "a safeguarding lead") must approve it first."
            } ?? "",
            twoFactor: user.twoFactorAt.map { "On since \(DisplayDate.dateTime($0))" } ?? "Not set up",
            twoFactorResetPending: try await RoleGrantRequest.pending(for: user.id!, kind: .twoFactorReset, on: req.db) != nil,
            roles: Self.roleOptions(selected: user.role.rawValue),
            teams: Self.teamOptions(teams, selected: user.$team.id?.uuidString),
            partners: try await Self.partnerOptions(req, selected: user.partnerID?.uuidString), errors: errors)
    }

    func show(req: Request) async throws -> Response {
        let user = try await findUser(req)
        try await req.audit(.read, .user, id: user.id?.uuidString)
        return try await req.render("People/user", try await personView(req: req, user: user), title: user.displayName)
    }

    struct RoleForm: Content {
        var role: String?
        var teamID: String?
        var partnerID: String?
    }

    func changeRole(req: Request) async throws -> Response {
        let user = try await findUser(req)
        let form = try req.form(RoleForm.self)
        var errors = FormErrors()
        let role = form.role.flatMap(Role.init(rawValue:))
        if role == nil { errors.add("role", "Select a role") }
        let teamID = form.teamID.flatMap { $0.isEmpty ? nil : UUID(uuidString: $0) }
        if let raw = form.teamID, !raw.isEmpty {
            let team = try await teamID.asyncFlatMap { try await Team.find($0, on: req.db) }
            if team == nil {
                errors.add("teamID", "Select a team from the list")
            }
        }
        let partnerID = try await Self.partner(for: role, form.partnerID, on: req.db, &errors)
        if let role, user.id == req.currentUser?.id, role != .administrator {
            errors.add("role", "You cannot remove your own administrator role: ask another administrator")
        }
        guard errors.isEmpty, let role else {
            return try await req.render("People/user", try await personView(req: req, user: user, errors: errors),
                                        title: user.displayName, status: .unprocessableEntity)
        }
        let oldRole = user.role
        let teamChanges = user.$team.id != teamID
        if user.roleApproved == false || RoleGrantRule.needsApproval(from: oldRole, to: role, teamChanges: teamChanges) {
            // Nothing changes until a second person approves; an earlier open request is replaced.
            try await askForApproval(req, user: user, role: role, teamID: teamID)
            return req.redirect(to: "/admin/users/\(user.id!.uuidString)", saying: "\(user.displayName) will have the \(role.displayName) role once \(RoleGrantRule.approver(for: role) == .dataProtectionOfficer ? "the data protection officer" : "a safeguarding lead") approves it: it sees case content.")
        }
        let partnerChanges = user.partnerID != partnerID
        user.role = role
        user.$team.id = teamID
        user.partnerID = partnerID
        try await req.db.writeTransaction { db in
            try await user.save(on: db)
            if oldRole != role || partnerChanges {
                // A change of privilege ends the person's sessions (`shared/docs/domain/security.md` §5).
                try await DatabaseSessionDriver.endSessions(of: user.id!, on: db)
                try await req.audit(.roleChange, .user, id: user.id?.uuidString,
                                    detail: "\(oldRole.rawValue)->\(role.rawValue)" + (partnerChanges ? ", partner \(partnerID?.uuidString ?? "none")" : ""), on: db)
            } else {
                try await req.audit(.update, .user, id: user.id?.uuidString, detail: "team", on: db)
            }
        }
        return req.redirect(to: "/admin/users/\(user.id!.uuidString)", saying: "\(user.displayName)'s role and team have been saved.")
    }

    /// Records the request for a role that sees case content, for `RoleRequestsController`.
    private func askForApproval(_ req: Request, user: User, role: Role, teamID: UUID?) async throws {
        let requester = req.currentUser?.id ?? UUID()
        let now = req.lantern.now()
        try await req.db.writeTransaction { db in
            if let open = try await RoleGrantRequest.pending(for: user.id!, on: db) {
                open.outcome = .withdrawn
                open.decidedBy = requester
                open.decidedAt = now
                try await open.save(on: db)
            }
            try await RoleGrantRequest(userID: user.id!, role: role, teamID: teamID, requestedBy: requester, at: now).create(on: db)
            try await req.audit(.update, .user, id: user.id?.uuidString, detail: "role request: \(role.rawValue), for approval by \(RoleGrantRule.approver(for: role).rawValue)", on: db)
        }
    }

    func deactivate(req: Request) async throws -> Response {
        let user = try await findUser(req)
        guard user.id != req.currentUser?.id else {
            let errors = FormErrors([("deactivate", "You cannot deactivate your own account")])
            return try await req.render("People/user", try await personView(req: req, user: user, errors: errors),
                                        title: user.displayName, status: .unprocessableEntity)
        }
        user.isActive = false
        user.invitationDigest = nil
        user.invitationExpiresAt = nil
        try await req.db.writeTransaction { db in
            try await user.save(on: db)
            try await DatabaseSessionDriver.endSessions(of: user.id!, on: db)
            try await req.audit(.deactivate, .user, id: user.id?.uuidString, on: db)
        }
        return req.redirect(to: "/admin/users/\(user.id!.uuidString)", saying: "\(user.displayName) has been deactivated and signed out.")
    }

    func reactivate(req: Request) async throws -> Response {
        let user = try await findUser(req)
        user.isActive = true
        try await req.write(user, .reactivate, .user)
        return req.redirect(to: "/admin/users/\(user.id!.uuidString)", saying: "\(user.displayName) has been reactivated.")
    }

    func reissueInvitation(req: Request) async throws -> Response {
        let user = try await findUser(req)
        guard user.isActive, user.passwordHash == nil else {
            throw LanternError(.conflict, title: "This person has already accepted", "Only people who have not yet chosen a password can be sent a new invitation.")
        }
        let token = SecretToken.generate()
        user.invitationDigest = SecretToken.digest(token)
        user.invitationExpiresAt = req.lantern.now().addingTimeInterval(Self.invitationLifetime)
        try await req.write(user, .invite, .user, detail: "reissued")
        return try await renderInvitationLink(req: req, user: user, token: token)
    }
}
