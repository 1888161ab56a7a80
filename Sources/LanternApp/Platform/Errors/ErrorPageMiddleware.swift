import Vapor

/// Turns every error into a response: an HTML page for browsers, JSON for API clients.
/// Internal details of unexpected errors are logged, never shown.
struct ErrorPageMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            return await response(for: error, on: request)
        }
    }

    func response(for error: any Error, on request: Request) async -> Response {
        // The API's own errors, such as an address no operation answers, are problems too.
        if request.url.path.hasPrefix("/api/v1/") { return APIProblem.from(error, unroutedMethodOf: request).response(for: request) }
        let status: HTTPResponseStatus
        let title: String
        var message: String
        var headers = HTTPHeaders()
        switch error {
        case let lantern as LanternError:
            (status, title, message) = (lantern.status, lantern.title, lantern.reason)
        case let abort as any AbortError:
            status = abort.status
            title = LanternError.defaultTitle(for: status)
            headers = abort.headers
            headers.remove(name: .contentType)
            switch status.code {
            case 404: message = LanternError.notFound.reason
            case 413: message = "The request was larger than Lantern accepts (\(ByteCountFormatter.string(fromByteCount: Int64(request.lantern.configuration.maxBodySize), countStyle: .file))). Nothing was saved. Send less text, or smaller files."
            case 400..<500: message = abort.reason
            default: message = "Try again later. Nothing you typed has been shared."
            }
        default:
            status = .internalServerError
            title = LanternError.defaultTitle(for: status)
            message = "Try again later. If the problem continues, tell your administrator the reference below."
        }
        if status.code >= 500 {
            request.logger.report(error: error)
        }
        if status.code >= 500, !(error is LanternError) {
            message = "Try again later. If the problem continues, tell your administrator the reference below."
        }

        if request.wantsHTML {
            let page = ErrorPage(status: Int(status.code), title: title, message: message, reference: request.requestID ?? "")
            if let view = try? await request.render("Errors/error", page, title: title, status: status) {
                view.headers.add(contentsOf: headers)
                return view
            }
        }
        let body = ErrorBody(error: .init(status: Int(status.code), title: title, message: message))
        let response = Response(status: status, headers: headers)
        try? response.content.encode(body, as: .json)
        return response
    }
}

struct ErrorPage: Encodable {
    let status: Int
    let title: String
    let message: String
    let reference: String
}

struct ErrorBody: Content {
    struct Detail: Content { let status: Int; let title: String; let message: String }
    let error: Detail
}
