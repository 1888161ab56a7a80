import LanternCore
import Vapor

/// Cross-site request forgery protection: every state-changing request must carry the
/// session's token, as the form field `_csrf` or the header `X-CSRF-Token`.
/// (`shared/docs/domain/security.md` §5: a CSRF token on every form.)
struct CSRFMiddleware: AsyncMiddleware {
    static let sessionKey = "csrf"
    static let formField = "_csrf"
    let maxBodySize: Int

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard [.GET, .HEAD, .OPTIONS].contains(request.method) == false else {
            return try await next.respond(to: request)
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
        let expected = request.session.data[Self.sessionKey]
        let presented = request.headers.first(name: "X-CSRF-Token")
            ?? (try? request.content.get(String.self, at: Self.formField))
        guard let expected, let presented, SecretToken.constantTimeEquals(expected, presented) else {
            throw LanternError(.forbidden, title: "This form has expired",
                               "The page you sent the form from was too old, or was not from Lantern. Go back, reload the page and try again.")
        }
        return try await next.respond(to: request)
    }
}

extension Request {
    /// The session's CSRF token, created on first use.
    var csrfToken: String {
        if let token = session.data[CSRFMiddleware.sessionKey] { return token }
        let token = SecretToken.generate()
        session.data[CSRFMiddleware.sessionKey] = token
        return token
    }
}
