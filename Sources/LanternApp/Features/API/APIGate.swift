import Fluent
import Foundation
import LanternCore
import Vapor

/// The one way into `/api/v1`: a bearer token, never the browser's session, so a page cannot
/// be made to call the API with someone's cookie. It finds the token by its digest, acts as
/// its owner narrowed to its scopes, counts the call against the token's limit, answers every
/// error as a problem, and writes every call to the audit log as a page view is.
struct APIGate: AsyncMiddleware {
    /// The largest request body an API call may send (a bulk upsert of 10,000 contracts is
    /// about 4 MB).
    static let maxBody = 16 * 1024 * 1024
    static let documentPath = "/api/v1/openapi.yaml"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        request.auth.logout(User.self)
        let response: Response
        var token: APIToken?
        do {
            if request.url.path != Self.documentPath {
                token = try await authenticate(request)
            }
            if request.method != .GET, request.method != .HEAD {
                if let length = request.headers.first(name: .contentLength).flatMap(Int.init), length > Self.maxBody {
                    throw APIProblem(.payloadTooLarge, "The body is larger than 16 MB. Send fewer records in each call.")
                }
                let body = try await request.body.collect(max: Self.maxBody).get()
                if let body, request.headers.contentType?.subType == "json" { try Self.refuseNulls(in: body) }
            }
            response = try await APIRequest.$current.withValue(request) { try await next.respond(to: request) }
        } catch {
            let problem = APIProblem.from(error, unroutedMethodOf: request)
            if problem.status.code >= 500 { request.logger.report(error: error) }
            response = problem.response(for: request)
        }
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        if let token {
            let detail = "\(request.method.rawValue) \(request.url.path) \(response.status.code)"
            do {
                try await request.audit(.apiCall, .apiToken, id: token.id?.uuidString, outcome: response.status.code < 400 ? .success : .denied, detail: detail)
            } catch {
                // What the call changed is already saved (with its own audit row, for a change):
                // answering an error now would only invite a repeat.
                request.logger.report(error: error)
            }
        }
        return response
    }

    /// No field in the document may be null, but Swift reads a null as a field left out: a
    /// null would otherwise pass as "keep the current value". Refused, naming where it is.
    static func refuseNulls(in body: ByteBuffer) throws {
        // Most bodies hold no null: a scan of the bytes says so without building the document
        // (a bulk upsert of 10,000 contracts is 2 MB). Only a body with one is parsed, to name it.
        guard mayHoldNull(body.readableBytesView) else { return }
        guard let json = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView), options: [.fragmentsAllowed]) else { return }
        func walk(_ value: Any, _ path: String) throws {
            switch value {
            case is NSNull:
                throw APIProblem(.badRequest, title: "The request does not match the API's description", "No field may be null: leave it out instead.",
                                 errors: [.init(field: path.isEmpty ? "/" : path, detail: "is null")])
            case let object as [String: Any]:
                for key in object.keys.sorted() { try walk(object[key]!, path + "/" + key) }
            case let array as [Any]:
                for (index, item) in array.enumerated() { try walk(item, path + "/\(index)") }
            default: break
            }
        }
        try walk(json, "")
    }

    /// Whether a `null` literal appears outside the strings of a JSON text.
    static func mayHoldNull(_ bytes: some Collection<UInt8>) -> Bool {
        var inString = false, escaped = false
        var previous: UInt8 = 0
        for byte in bytes {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "u"), previous == UInt8(ascii: "n") {
                return true
            }
            previous = inString ? 0 : byte
        }
        return false
    }

    /// The token's owner, signed in for this request only, narrowed to the token's scopes.
    private func authenticate(_ request: Request) async throws -> APIToken {
        var unauthorized = APIProblem(.unauthorized, title: "A valid API token is needed",
                                      "Send a token in the Authorization header: Bearer lnt_...")
        unauthorized.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer realm=\"Lantern\"")
        guard let bearer = request.headers.bearerAuthorization?.token, APITokenText.looksValid(bearer) else { throw unauthorized }
        let now = request.lantern.now()
        // Read by hand-listed fields: this runs before every call (`RowDecodable`).
        let token = try await APIToken.rows([.equals("digest", APITokenText.digest(bearer))], on: request.db).first
        let owner = try await token.asyncFlatMap { try await User.rows([.equals("id", $0.$owner.id)], on: request.db).first }
        guard let token, let owner, token.isUsable(at: now), owner.isActive else {
            try await request.audit(.apiCall, .apiToken, outcome: .denied, detail: "unknown, expired or revoked token")
            unauthorized.detail = "The token is unknown, expired or revoked."
            throw unauthorized
        }
        owner.tokenScopes = token.scopes
        request.auth.login(owner)

        let (calls, retryAfter) = try await APICallCounter.count(token.id!, at: now, on: request.db)
        if calls > token.callsPerMinute {
            var problem = APIProblem(.tooManyRequests, title: "Too many calls",
                                     "This token may make \(token.callsPerMinute) calls a minute. Wait \(retryAfter) seconds.")
            problem.headers.replaceOrAdd(name: .retryAfter, value: String(retryAfter))
            throw problem
        }
        // The last-used time is for people judging whether a token is still needed: a minute's
        // precision spares a write on every call.
        if token.lastUsedAt.map({ now.timeIntervalSince($0) >= 60 }) ?? true {
            try await APIToken.query(on: request.db).set(\.$lastUsedAt, to: now).filter(\.$id == token.id!).update()
        }
        return token
    }
}

/// The Vapor request an API handler is answering, for the handlers the generated server
/// calls with only the decoded input.
enum APIRequest {
    @TaskLocal static var current: Request?

    static func get() throws -> Request {
        guard let request = current else { throw APIProblem(.internalServerError, "The API was called outside a request.") }
        return request
    }
}
