import Vapor

/// The one error type features throw. It renders as an accessible HTML page for browsers
/// and as JSON for API clients (see ``ErrorPageMiddleware``).
struct LanternError: AbortError, Sendable {
    var status: HTTPResponseStatus
    var title: String
    var reason: String

    init(_ status: HTTPResponseStatus, title: String? = nil, _ reason: String) {
        self.status = status
        self.title = title ?? LanternError.defaultTitle(for: status)
        self.reason = reason
    }

    static let forbidden = LanternError(.forbidden, "Your role does not give you access to this page. If you need it for your work, ask your administrator.")
    static let notFound = LanternError(.notFound, "If you typed the web address, check it is correct. If you followed a link, the page may have been removed.")

    static func defaultTitle(for status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: "There is a problem with the request"
        case 401: "You need to sign in"
        case 403: "You do not have permission to see this page"
        case 404: "Page not found"
        case 413: "What you sent is too large"
        case 429: "Too many attempts"
        case 500...: "Sorry, there is a problem with the service"
        default: status.reasonPhrase
        }
    }
}
