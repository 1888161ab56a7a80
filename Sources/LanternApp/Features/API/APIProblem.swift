import Foundation
import OpenAPIRuntime
import Vapor

/// An API error as RFC 9457 describes it (`application/problem+json`), with each wrong field
/// named by a JSON pointer into the request (or a parameter's name).
struct APIProblem: Error, Sendable {
    struct FieldError: Content, Sendable {
        let field: String
        let detail: String
    }

    var status: HTTPResponseStatus
    var title: String
    var detail: String?
    var errors: [FieldError] = []
    var headers = HTTPHeaders()

    init(_ status: HTTPResponseStatus, title: String? = nil, _ detail: String? = nil, errors: [FieldError] = []) {
        self.status = status
        self.title = title ?? LanternError.defaultTitle(for: status)
        self.detail = detail
        self.errors = errors
    }

    /// The form's messages, with each field turned into a pointer under `base`.
    static func invalid(_ form: FormErrors, at base: String = "", _ detail: String = "Some fields are not right. Nothing was saved.") -> APIProblem {
        APIProblem(.unprocessableEntity, title: "The request has wrong fields", detail,
                   errors: form.items.map { FieldError(field: base + "/" + $0.field, detail: $0.message) })
    }

    static let notFound = APIProblem(.notFound, title: "Not found", "There is no such record, or it is not open to this token.")

    private struct Body: Content {
        let type: String
        let title: String
        let status: Int
        let detail: String?
        let instance: String?
        let errors: [FieldError]?
    }

    func response(for request: Request) -> Response {
        let body = Body(type: "about:blank", title: title, status: Int(status.code), detail: detail,
                        instance: request.url.path, errors: errors.isEmpty ? nil : errors)
        var headers = headers
        headers.replaceOrAdd(name: .contentType, value: "application/problem+json")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(body)) ?? Data()
        return Response(status: status, headers: headers, body: .init(data: data))
    }

    /// Any error as a problem: Lantern's own, Vapor's, or the generated server's when the
    /// request did not match the document. Unexpected errors say nothing of their insides.
    static func from(_ error: any Error) -> APIProblem {
        switch error {
        case let problem as APIProblem:
            return problem
        case let server as ServerError:
            if server.operationInput == nil, !(server.underlyingError is APIProblem || server.underlyingError is LanternError) {
                // Decoding the request failed before any handler ran: the client sent something
                // the document does not allow.
                return APIProblem(.badRequest, title: "The request does not match the API's description", describe(server.underlyingError))
            }
            return from(server.underlyingError)
        case let lantern as LanternError where lantern.status == .forbidden:
            return APIProblem(.forbidden, title: "Not allowed", "The token's scopes, or its owner's role, do not allow this operation.")
        case let lantern as LanternError:
            return APIProblem(lantern.status, title: lantern.title, lantern.reason)
        case let abort as any AbortError:
            var problem = APIProblem(abort.status, abort.status.code < 500 ? abort.reason : nil)
            problem.headers = abort.headers
            return problem
        case is DecodingError:
            return APIProblem(.badRequest, title: "The request does not match the API's description", describe(error))
        default:
            return APIProblem(.internalServerError, "Try again later. If the problem continues, tell your administrator the request's X-Request-Id.")
        }
    }

    /// As `from(_:)`, but a 404 for an address the API answers with other methods is 405 with
    /// `Allow` (RFC 9110 §15.5.6): both when no route took the method, and when a route with a
    /// parameter took an address that is a resource of its own (`PATCH /suppliers/bulk` lands
    /// on `/suppliers/{id}`). Worked out only on the way out of a 404.
    static func from(_ error: any Error, unroutedMethodOf request: Request) -> APIProblem {
        var problem = from(error)
        guard problem.status == .notFound else { return problem }
        let asked = request.url.path.split(separator: "/").map(String.init)
        // Routes that fit the address, the most literal fit only (`/suppliers/bulk`, not `/suppliers/{id}`).
        let fits = request.application.routes.all.compactMap { route -> (Route, Int)? in
            guard route.path.count == asked.count else { return nil }
            var literal = 0
            for (component, part) in zip(route.path, asked) {
                if case .constant(let text) = component { guard text == part else { return nil }; literal += 1 }
            }
            return (route, literal)
        }
        let best = fits.map(\.1).max()
        let methods = fits.filter { $0.1 == best }.map(\.0.method.rawValue)
        guard !methods.isEmpty else { return problem }
        if let taken = request.route {
            // A route did take it: only a more literal resource at this address makes it a 405.
            let literal = taken.path.filter { if case .constant = $0 { return true } else { return false } }.count
            guard let best, best > literal else { return problem }
        }
        problem = APIProblem(.methodNotAllowed, "This address answers \(Set(methods).sorted().joined(separator: ", ")) only.")
        problem.headers.replaceOrAdd(name: .allow, value: Set(methods).sorted().joined(separator: ", "))
        return problem
    }

    /// What was wrong with the input, without Swift's type names.
    private static func describe(_ error: any Error) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            return keys.isEmpty ? "A value" : "/" + keys.joined(separator: "/")
        }
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "\(path(context) == "A value" ? "" : path(context))/\(key.stringValue) is required."
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "\(path(context)) has the wrong type."
        case DecodingError.dataCorrupted(let context):
            return "\(path(context)) could not be read: \(context.debugDescription.prefix(200))"
        default:
            let text = String(describing: error)
            if let server = error as? ServerError { return describe(server.underlyingError) }
            // The runtime's own messages name the parameter or header; keep them short.
            return String(text.prefix(300))
        }
    }
}
