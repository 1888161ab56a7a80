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
        let tooLarge = LanternError(.payloadTooLarge, title: "What you sent is too large",
                                    "This form accepts up to \(ByteCountFormatter.string(fromByteCount: Int64(limit), countStyle: .file))\(request.headers.first(name: .contentLength).flatMap(Int64.init).map { "; what you sent was \(ByteCountFormatter.string(fromByteCount: $0, countStyle: .file))" } ?? ""). Nothing was saved. Send a smaller file, or split it into several.")
        if let length = request.headers.first(name: .contentLength).flatMap(Int.init), length > limit { throw tooLarge }
        if request.body.data == nil {
            do { _ = try await request.body.collect(max: limit).get() } catch { throw tooLarge }
        }
        if let body = request.body.data, body.readableBytes > limit { throw tooLarge }
        let presented = request.headers.first(name: "X-CSRF-Token")
            ?? (try? request.content.get(String.self, at: Self.formField))
        let accepted: Bool
        if let expected = request.storedSessionToken {
            accepted = presented.map { SecretToken.constantTimeEquals(expected, $0) } ?? false
        } else {
            let cookie = request.cookies[Self.cookieName]?.string
            accepted = presented.map { token in
                cookie.map { SecretToken.constantTimeEquals($0, token) } ?? false
                    && SignedFormToken.isValid(token, key: request.lookupKeys.formTokenKey)
            } ?? false
        }
        guard accepted else {
            throw LanternError(.forbidden, title: "This form has expired",
                               "The page you sent the form from was too old, or was not from Lantern. Go back, reload the page and try again.")
        }
        return try await next.respond(to: request)
    }
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
