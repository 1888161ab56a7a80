import Fluent
import Foundation
import LanternCore
import Vapor

/// Restores the signed-in person from the session on every request. A person who has been
/// deactivated since signing in is signed out here.
struct CurrentUserMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.hasSession, let id = request.session.data[DatabaseSessionDriver.userKey].flatMap(UUID.init(uuidString:)) {
            // Read with the session (`DatabaseSessionDriver`) when it names this person.
            let read = request.storage[SessionPersonKey.self].flatMap { $0.user.id == id ? $0.user : nil }
            if let user = try await read.orFetch({ try await User.find(id, on: request.db) }), user.isActive {
                request.auth.login(user)
            } else {
                request.session.data[DatabaseSessionDriver.userKey] = nil
            }
        }
        return try await next.respond(to: request)
    }
}

/// Pages behind sign-in: browsers are sent to the sign-in page and brought back afterwards;
/// other clients get 401.
struct RequireSignIn: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.currentUser != nil else {
            if request.wantsHTML {
                let expired = request.storage[SessionExpiredKey.self] != nil
                var target = "/sign-in?next=\(SafeRedirect.encode(request.url.string))"
                if expired { target += "&expired=1" }
                return request.redirect(to: target)
            }
            throw LanternError(.unauthorized, "Sign in to use this page.")
        }
        if let user = request.currentUser, try await TwoFactorRequirement.blocks(request, user: user) {
            if request.wantsHTML { return request.redirect(to: TwoFactorAccountController.path) }
            throw LanternError(.forbidden, title: "Two-factor authentication needed", "Your organisation requires two-factor authentication for your role. Set it up under your account first.")
        }
        return try await next.respond(to: request)
    }
}

/// Refuses a route to anyone whose role lacks its permission, and writes the refusal to the
/// audit log. The only authorisation check routes use.
struct RequirePermission: AsyncMiddleware {
    let permission: Permission

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try await request.require(permission)
        return try await next.respond(to: request)
    }
}

extension Request {
    var currentUser: User? { auth.get(User.self) }

    /// The signed-in person's team's name, read with their session.
    func currentTeamName() async throws -> String? {
        if let person = storage[SessionPersonKey.self], person.user.id == currentUser?.id { return person.teamName }
        return try await currentUser?.$team.get(on: db)?.name
    }

    /// Throws 403 (and audits the refusal) unless the signed-in person holds `permission`.
    func require(_ permission: Permission) async throws {
        guard let user = currentUser else {
            throw LanternError(.unauthorized, "Sign in to use this page.")
        }
        guard user.can(permission) else {
            try await audit(.permissionRefused, .route, id: route.map { $0.path.string } ?? url.path,
                            outcome: .denied, detail: permission.rawValue)
            throw LanternError.forbidden
        }
    }

    var wantsHTML: Bool {
        if url.path.hasPrefix("/api/v1/") { return false }
        guard let accept = headers.first(name: .accept) else { return true }
        return accept.contains("text/html") || accept.contains("*/*") || !accept.contains("json")
    }
}

extension RoutesBuilder {
    /// Routes added to the result need sign-in and `permission`; each route is tagged with
    /// the permission so tests can walk every page against every role.
    func requiring(_ permission: Permission) -> any RoutesBuilder {
        PermissionTaggingBuilder(base: grouped(RequireSignIn(), RequirePermission(permission: permission)), permission: permission)
    }

    /// Routes for anyone signed in, whatever their role.
    func signedIn() -> any RoutesBuilder {
        PermissionTaggingBuilder(base: grouped(RequireSignIn()), permission: nil)
    }
}

enum RouteTag {
    static let permission = "lantern.permission"
    static let signedIn = "lantern.signed-in"
    /// A larger body limit for a route that takes uploads (bytes).
    static let bodyLimit = "lantern.body-limit"
    /// A route whose multipart body is read as it arrives (`EvidenceUpload`), not collected first.
    static let streamedUpload = "lantern.streamed-upload"
    /// An operation of the API (`/api/v1`), answered by `LanternAPIService`.
    static let api = "lantern.api"
}

private struct PermissionTaggingBuilder: RoutesBuilder {
    let base: any RoutesBuilder
    let permission: Permission?

    func add(_ route: Route) {
        route.userInfo[AnySendableHashable(RouteTag.signedIn)] = true
        if let permission {
            route.userInfo[AnySendableHashable(RouteTag.permission)] = permission
        }
        base.add(route)
    }
}

/// Where the sign-in page may send someone back to: only a path on this site, never another host.
enum SafeRedirect {
    static func target(_ raw: String?) -> String {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.hasPrefix("/\\"),
              !raw.contains("\r"), !raw.contains("\n"), !raw.lowercased().hasPrefix("/sign-")
        else { return "/home" }
        return raw
    }

    static func encode(_ path: String) -> String {
        path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "/-_."))) ?? "/home"
    }
}
