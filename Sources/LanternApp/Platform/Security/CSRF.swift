import Fluent
import LanternCore
import Vapor

/// Cross-site request forgery protection: every state-changing request must carry a token, as
/// the form field `_csrf` or the header `X-CSRF-Token` (`shared/docs/domain/security.md` §5: a
/// CSRF token on every form). Signed-in people (and reporters back with their code) have it in
/// their session; a visitor without a session gets a signed double-submit token, kept in a
/// cookie, so anonymous pages never write a session row.
struct CSRFMiddleware: AsyncMiddleware {
    static let sessionKey = "csrf"
    static let formField = "_csrf"
    static let cookieName = "lantern-form"
    let maxBodySize: Int

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard [.GET, .HEAD, .OPTIONS].contains(request.method) == false else {
            let response = try await next.respond(to: request)
            if let issued = request.storage[IssuedFormTokenKey.self] {
                response.cookies[Self.cookieName] = HTTPCookies.Value(
                    string: issued, isSecure: request.lantern.configuration.behindTLS, isHTTPOnly: true, sameSite: .strict)
            }
            return response
        }
        // Read the body here (routes would otherwise read it later), refusing oversize bodies with 413.
        let limit = request.route?.userInfo[AnySendableHashable(RouteTag.bodyLimit)] as? Int ?? maxBodySize
        let tooLarge = Self.tooLarge(limit: limit, declared: request.headers.first(name: .contentLength).flatMap(Int64.init))
        let declared = request.headers.first(name: .contentLength).flatMap(Int.init)
        if let declared, declared > limit { throw tooLarge }
        // A post that cannot carry a valid token (no session holding one, no signed cookie) is
        // refused before its body is read, so nobody can make Lantern buffer bodies for free.
        let sessionToken = request.storedSessionToken
        let cookie = request.cookies[Self.cookieName]?.string
        let expiredSession = request.storage[SessionExpiredKey.self]
        guard sessionToken != nil || expiredSession?.formToken != nil
                || cookie.map({ SignedFormToken.isValid($0, key: request.lookupKeys.formTokenKey) }) == true else {
            throw Self.expired
        }
        // A streamed upload reads its own body a part at a time and checks the token from its
        // first part before it stores any file (`EvidenceUpload`).
        if request.route?.userInfo[AnySendableHashable(RouteTag.streamedUpload)] != nil, request.headers.contentType?.type == "multipart" {
            return try await next.respond(to: request)
        }
        // Bodies larger than the site-wide limit (files) must declare their length and fit the
        // instance's budget for large bodies.
        var reserved = 0
        if request.body.data == nil, limit > maxBodySize {
            guard let declared else {
                throw LanternError(.lengthRequired, title: "Send the file again", "Lantern needs to know the size of what you send. Nothing was saved. Try again from the form.")
            }
            guard request.lantern.bodyBudget.reserve(declared) else {
                throw LanternError(.serviceUnavailable, title: "Lantern is busy receiving files",
                                   "Many large files are arriving just now. Nothing was saved. Wait a minute, then send the form again.")
            }
            reserved = declared
        }
        defer { if reserved > 0 { request.lantern.bodyBudget.release(reserved) } }
        if request.body.data == nil {
            do { _ = try await request.body.collect(max: limit).get() } catch { throw tooLarge }
        }
        if let body = request.body.data, body.readableBytes > limit { throw tooLarge }
        let presented = request.headers.first(name: "X-CSRF-Token") ?? Self.formToken(in: request)
        if sessionToken == nil, let expiredSession, let kept = try await Self.keep(request, presented: presented, from: expiredSession) {
            return kept
        }
        guard Self.accepts(presented, for: request) else { throw Self.expired }
        var submission: FormSubmission?
        if request.headers.contentType == .urlEncodedForm, let once = try? request.content.get(String.self, at: FormSubmission.field), !once.isEmpty {
            switch try await FormSubmission.claim(token: once, path: request.url.path, on: request.db, now: request.lantern.now()) {
            case .first(let claim): submission = claim
            case .repeated(let location?):
                return request.redirect(to: location, saying: "That form had already been sent, so it was saved once, not twice.")
            case .repeated(nil):
                throw LanternError(.conflict, title: "That form is still being saved",
                                   "It was sent twice. Wait a moment, then open the page again to check that it was saved once.")
            }
        }
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            try? await submission?.delete(on: request.db)
            throw error
        }
        try await submission?.settle(after: response, on: request.db)
        // A kept form sent on and accepted (anything but an error page) is no longer needed.
        if response.status.code < 400, request.headers.contentType == .urlEncodedForm,
           let keptID = (try? request.content.get(String.self, at: KeptForm.idField)).flatMap(UUID.init(uuidString:)),
           let userID: UUID = request.currentUser?.id {
            try await KeptForm.query(on: request.db).filter(\.$id == keptID).filter(\.$userID == userID).delete()
        }
        return response
    }

    /// A form sent with the token of its sender's expired session: kept for them, and they are
    /// sent to sign in and then back to it. Only forms of pages behind sign-in, sent by the page
    /// (the token matches), and not uploads, whose files are too large to hold.
    static func keep(_ request: Request, presented: String?, from expired: ExpiredSession) async throws -> Response? {
        guard let presented, let expected = expired.formToken, SecretToken.constantTimeEquals(expected, presented),
              request.route?.userInfo[AnySendableHashable(RouteTag.signedIn)] != nil else { return nil }
        guard request.headers.contentType == .urlEncodedForm, let body = request.body.data else {
            throw LanternError(.unauthorized, title: "You were signed out",
                               "You had not used Lantern for 30 minutes, so you were signed out and nothing was saved. Sign in again, then send the form again.")
        }
        guard let user = try await User.find(expired.userID, on: request.db), user.isActive else { return nil }
        let now = request.lantern.now()
        let form = KeptForm(userID: expired.userID, action: request.url.path, now: now)
        try form.seal(KeptForm.fields(ofURLEncoded: String(buffer: body)), with: request.cipher)
        try await request.db.writeTransaction { db in
            try await form.create(on: db)
            try await request.lantern.audit.append(on: db, actor: AuditActor(id: user.id?.uuidString, role: user.role.rawValue), action: .create,
                                                   entity: .keptForm, entityID: form.id?.uuidString, requestID: request.requestID,
                                                   detail: "sent to \(form.action) after the session expired", at: now)
        }
        return request.redirect(to: "/sign-in?expired=1&kept=1&next=" + SafeRedirect.encode("/kept-forms/\(form.id!.uuidString)"))
    }

    /// Whether `presented` is the token this request's session or signed form cookie expects.
    static func accepts(_ presented: String?, for request: Request) -> Bool {
        guard let presented else { return false }
        if let expected = request.storedSessionToken { return SecretToken.constantTimeEquals(expected, presented) }
        let cookie = request.cookies[cookieName]?.string
        return (cookie.map { SecretToken.constantTimeEquals($0, presented) } ?? false)
            && SignedFormToken.isValid(presented, key: request.lookupKeys.formTokenKey)
    }

    /// The `_csrf` field. In a multipart body it is read from the first part that names it,
    /// within the first 64 KiB (Lantern's forms put it first), so checking the token never
    /// decodes, and copies, a body full of files.
    static func formToken(in request: Request) -> String? {
        guard request.headers.contentType?.type == "multipart" else {
            return try? request.content.get(String.self, at: formField)
        }
        guard let body = request.body.data else { return nil }
        let head = Array(body.readableBytesView.prefix(64 * 1024))
        guard let name = head.firstRange(of: Array("name=\"\(formField)\"".utf8)),
              let start = head[name.upperBound...].firstRange(of: Array("\r\n\r\n".utf8))?.upperBound,
              let end = head[start...].firstRange(of: Array("\r\n".utf8))?.lowerBound else { return nil }
        return String(decoding: head[start..<end], as: UTF8.self)
    }

    static func tooLarge(limit: Int, declared: Int64?) -> LanternError {
        LanternError(.payloadTooLarge, title: "What you sent is too large",
                     "This form accepts up to \(ByteCountFormatter.string(fromByteCount: Int64(limit), countStyle: .file))\(declared.map { "; what you sent was \(ByteCountFormatter.string(fromByteCount: $0, countStyle: .file))" } ?? ""). Nothing was saved. Send a smaller file, or split it into several.")
    }

    static let expired = LanternError(.forbidden, title: "This form has expired",
                                      "The page you sent the form from was too old, or was not from Lantern. Go back, reload the page and try again.")
}

private struct IssuedFormTokenKey: StorageKey { typealias Value = String }

extension Request {
    /// The token forms carry: the session's when there is a session holding something (created
    /// on first use), otherwise the visitor's signed cookie token (issued on first use).
    var csrfToken: String {
        if hasSession, !session.data.snapshot.isEmpty {
            if let token = session.data[CSRFMiddleware.sessionKey] { return token }
            let token = SecretToken.generate()
            session.data[CSRFMiddleware.sessionKey] = token
            return token
        }
        if let issued = storage[IssuedFormTokenKey.self] { return issued }
        if let cookie = cookies[CSRFMiddleware.cookieName]?.string, SignedFormToken.isValid(cookie, key: lookupKeys.formTokenKey) {
            return cookie
        }
        let token = SignedFormToken.make(key: lookupKeys.formTokenKey)
        storage[IssuedFormTokenKey.self] = token
        return token
    }

    /// The CSRF token of a session that holds something, if any.
    var storedSessionToken: String? {
        guard hasSession, !session.data.snapshot.isEmpty else { return nil }
        return session.data[CSRFMiddleware.sessionKey]
    }
}
