import Fluent
import Foundation
import LanternCore
import Vapor

/// A person's own two-factor authentication: setting up an authenticator app (a QR code and
/// the secret as text, confirmed by a first code), ten recovery codes shown once, new recovery
/// codes, and turning it off where the organisation does not require it.
struct TwoFactorAccountController: RouteCollection {
    static let path = "/account/two-factor"

    func boot(routes: any RoutesBuilder) throws {
        let account = routes.signedIn().grouped("account", "two-factor")
        account.get(use: show)
        account.post("start", use: start)
        account.get("set-up", use: showSetUp)
        account.post("set-up", use: confirm)
        account.post("recovery-codes", use: newRecoveryCodes)
        account.post("off", use: turnOff)
    }

    struct StatusView: Encodable {
        let isOn: Bool
        let since: String
        let recoveryCodesLeft: Int
        let required: Bool
        let mustSetUp: Bool
        let errors: FormErrors
    }

    private func status(_ req: Request, errors: FormErrors = FormErrors(), status: HTTPResponseStatus = .ok) async throws -> Response {
        let user = req.currentUser!
        let required = TwoFactorCheck.isRequired(for: user, organisation: try await req.organisation())
        let view = StatusView(isOn: user.twoFactorAt != nil, since: user.twoFactorAt.map(DisplayDate.dateTime) ?? "",
                              recoveryCodesLeft: user.twoFactorAt == nil ? 0 : try await RecoveryCode.unused(for: user.id!, on: req.db),
                              required: required, mustSetUp: required && user.twoFactorAt == nil, errors: errors)
        return try await req.render("People/two-factor", view, title: "Two-factor authentication", status: status)
    }

    func show(req: Request) async throws -> Response { try await status(req) }

    /// A new secret, unconfirmed until a first code from it is typed. Any earlier unconfirmed
    /// one is replaced; a confirmed one stays in use until the new one is confirmed.
    func start(req: Request) async throws -> Response {
        let user = req.currentUser!
        let credential = TwoFactorCredential(userID: user.id!, at: req.lantern.now())
        try credential.seal(Base32.encode(OneTimePassword.generateSecret()), with: req.cipher)
        try await req.db.writeTransaction { db in
            try await TwoFactorCredential.query(on: db).filter(\.$userID == user.id!).filter(\.$confirmedAt == nil).delete()
            try await credential.create(on: db)
        }
        return req.redirect(to: Self.path + "/set-up")
    }

    struct SetUpView: Encodable {
        let qrCode: String?
        /// The secret in groups of four, for typing into an app.
        let secret: String
        let account: String
        let errors: FormErrors
    }

    private func renderSetUp(_ req: Request, _ credential: TwoFactorCredential, errors: FormErrors, status: HTTPResponseStatus) async throws -> Response {
        let user = req.currentUser!
        let secret = try credential.open(with: req.cipher)
        let issuer = "Lantern"
        let uri = try credential.totp(with: req.cipher).provisioningURI(issuer: issuer, account: user.email)
        var grouped = ""
        for (i, character) in secret.enumerated() { grouped += (i > 0 && i % 4 == 0 ? " " : "") + String(character) }
        let view = SetUpView(qrCode: await QRCodeImage.svgDataURI(for: uri, on: req), secret: grouped, account: user.email, errors: errors)
        return try await req.render("People/two-factor-set-up", view, title: "Set up two-factor authentication", status: status)
    }

    func showSetUp(req: Request) async throws -> Response {
        guard let credential = try await TwoFactorCredential.unconfirmed(for: req.currentUser!.id!, on: req.db) else {
            return req.redirect(to: Self.path)
        }
        return try await renderSetUp(req, credential, errors: FormErrors(), status: .ok)
    }

    struct CodeForm: Content {
        var code: String?
    }

    struct RecoveryCodesView: Encodable {
        let codes: [String]
        let first: Bool
    }

    /// The first code proves the app holds the secret; only then is it used for sign-in.
    func confirm(req: Request) async throws -> Response {
        let user = req.currentUser!
        guard let credential = try await TwoFactorCredential.unconfirmed(for: user.id!, on: req.db) else {
            return req.redirect(to: Self.path)
        }
        let typed = try req.form(CodeForm.self).code ?? ""
        var errors = FormErrors()
        let step = try credential.totp(with: req.cipher).matchingStep(typed, at: req.lantern.now())
        if typed.trimmingCharacters(in: .whitespaces).isEmpty { errors.add("code", "Enter the 6-digit code your authenticator app shows") }
        else if step == nil { errors.add("code", "The code is not correct. Check the app shows Lantern for \(user.email), and enter the code it shows now") }
        guard errors.isEmpty, let step else {
            return try await renderSetUp(req, credential, errors: errors, status: .unprocessableEntity)
        }
        let now = req.lantern.now(), keys = req.lookupKeys, thisSession = req.session.id
        let codes = try await req.db.writeTransaction { db in
            try await TwoFactorCredential.query(on: db).filter(\.$userID == user.id!).filter(\.$id != credential.id!).delete()
            credential.confirmedAt = now
            credential.lastStep = step
            try await credential.save(on: db)
            user.twoFactorAt = now
            try await user.save(on: db)
            // Sessions opened with the password alone end.
            try await DatabaseSessionDriver.endSessions(of: user.id!, on: db, except: thisSession)
            try await req.audit(.update, .user, id: user.id?.uuidString, detail: "two-factor authentication turned on", on: db)
            return try await TwoFactorCheck.replaceRecoveryCodes(for: user.id!, keys: keys, on: db)
        }
        return try await req.render("People/recovery-codes", RecoveryCodesView(codes: codes, first: true), title: "Your recovery codes")
    }

    /// A current code from the app is asked for before recovery codes are replaced or the
    /// second factor turned off, so a session left open is not enough.
    private func checkCurrentCode(_ req: Request) async throws -> FormErrors {
        let typed = try req.form(CodeForm.self).code ?? ""
        var errors = FormErrors()
        if typed.trimmingCharacters(in: .whitespaces).isEmpty {
            errors.add("code", "Enter the 6-digit code your authenticator app shows")
        } else if try await TwoFactorCheck.check(typed, for: req.currentUser!.id!, on: req) != .authenticator {
            errors.add("code", "The code is not correct, or was used already. Enter the code your authenticator app shows now")
        }
        return errors
    }

    func newRecoveryCodes(req: Request) async throws -> Response {
        let user = req.currentUser!
        guard user.twoFactorAt != nil else { return req.redirect(to: Self.path) }
        let errors = try await checkCurrentCode(req)
        guard errors.isEmpty else { return try await status(req, errors: errors, status: .unprocessableEntity) }
        let keys = req.lookupKeys
        let codes = try await req.db.writeTransaction { db in
            try await req.audit(.update, .user, id: user.id?.uuidString, detail: "new recovery codes", on: db)
            return try await TwoFactorCheck.replaceRecoveryCodes(for: user.id!, keys: keys, on: db)
        }
        return try await req.render("People/recovery-codes", RecoveryCodesView(codes: codes, first: false), title: "Your recovery codes")
    }

    func turnOff(req: Request) async throws -> Response {
        let user = req.currentUser!
        guard user.twoFactorAt != nil else { return req.redirect(to: Self.path) }
        if TwoFactorCheck.isRequired(for: user, organisation: try await req.organisation()) {
            var errors = FormErrors()
            errors.add("code", "Your organisation requires two-factor authentication for your role, so it cannot be turned off")
            return try await status(req, errors: errors, status: .conflict)
        }
        let errors = try await checkCurrentCode(req)
        guard errors.isEmpty else { return try await status(req, errors: errors, status: .unprocessableEntity) }
        try await req.db.writeTransaction { db in
            try await TwoFactorCheck.remove(for: user, on: db)
            try await req.audit(.update, .user, id: user.id?.uuidString, detail: "two-factor authentication turned off", on: db)
        }
        return req.redirect(to: Self.path, saying: "Two-factor authentication is off. You sign in with your password alone.")
    }
}

/// Keeps a person whose organisation requires a second factor for their role, and who has
/// none yet, to setting one up: every other page sends them there (or answers 403 to a script).
enum TwoFactorRequirement {
    /// Set on a session signed in through the identity provider when its ID token says the
    /// provider asked for a second factor (`amr` holds "mfa"): that satisfies the requirement.
    static let providerMFAKey = "oidc.mfa"

    static func blocks(_ req: Request, user: User) async throws -> Bool {
        guard user.twoFactorAt == nil, user.seesCaseContent, req.session.data[providerMFAKey] != "1" else { return false }
        let path = req.url.path
        guard !path.hasPrefix(TwoFactorAccountController.path), path != "/sign-out" else { return false }
        return TwoFactorCheck.isRequired(for: user, organisation: try await req.organisation())
    }
}
