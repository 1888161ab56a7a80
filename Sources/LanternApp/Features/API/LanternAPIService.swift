import Fluent
import Foundation
import LanternAPI
import LanternCore
import OpenAPIRuntime
import OpenAPIVapor
import Vapor

/// Lantern's answers to the operations in `Sources/LanternAPI/openapi.yaml`. Each operation
/// asks for the permission its page asks for, through the same `require`, and reads through
/// the same need-to-know rules; the token's scopes narrow the owner's role (`User.tokenScopes`).
/// The operations live in one file per area beside this one.
struct LanternAPIService: APIProtocol {
    static func register(on app: Application) throws {
        // The generated routes carry the server URL's /api/v1 themselves.
        let group = app.grouped(APIGate())
        // Compact JSON: indenting and sorting keys cost more than the rest of a list's answer.
        try LanternAPIService().registerHandlers(on: VaporTransport(routesBuilder: group), serverURL: URL(string: "/api/v1")!,
                                                 configuration: .init(jsonEncodingOptions: [.withoutEscapingSlashes]))
        // Tagged so the access tests can walk every operation.
        for route in app.routes.all where route.path.prefix(2).map(\.description) == ["api", "v1"] {
            route.userInfo[AnySendableHashable(RouteTag.api)] = true
        }
    }

    func getDocument(_ input: Operations.GetDocument.Input) async throws -> Operations.GetDocument.Output {
        .ok(.init(body: .yaml(HTTPBody(APIDocument.yaml))))
    }

    // MARK: Shared checks

    /// The request, its signed-in owner, and a refusal (audited) unless they hold `permission`.
    func request(requiring permission: Permission) async throws -> Request {
        let req = try APIRequest.get()
        try await req.require(permission)
        return req
    }

    /// A path's record id: a malformed one is as absent as a missing record.
    func id(_ text: String) throws -> UUID {
        guard let id = UUID(uuidString: text) else { throw APIProblem.notFound }
        return id
    }

    /// A query parameter longer than the document allows is refused, not cut short.
    func checked(_ value: String?, _ name: String, max: Int) throws -> String {
        guard let value else { return "" }
        guard value.count <= max else {
            throw APIProblem(.badRequest, title: "A parameter is too long", errors: [.init(field: name, detail: "must be \(max) characters or fewer")])
        }
        return value
    }
}
