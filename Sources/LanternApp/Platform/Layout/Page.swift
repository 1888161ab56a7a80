import Fluent
import Foundation
import LanternCore
import Vapor

/// What every page's frame needs: the organisation, the person, their navigation, the CSRF token.
struct LayoutContext: Encodable {
    struct Link: Encodable { let title: String; let path: String; let current: Bool }
    struct Person: Encodable { let name: String; let role: String }

    let title: String
    let organisationName: String
    let person: Person?
    let navigation: [Link]
    let csrf: String
    /// The page's one-use form token (`FormSubmission`): claimed per form path, so each form on
    /// the page can be sent once.
    var once = SecretToken.generate(bytes: 16)
    let flash: String?
    /// The page answers a form with errors: its title starts "Error: " and the error summary
    /// takes focus, as the GOV.UK Design System does, so a screen reader hears it first.
    var hasErrors = false
    /// The session's idle timeout, for the warning shown two minutes before it ends; signed-in pages only.
    var idleSeconds: Int?
}

/// A page: the frame plus the view's own content.
struct Page<Content: Encodable>: Encodable {
    let layout: LayoutContext
    let content: Content
}

extension Request {
    func layout(title: String) async throws -> LayoutContext {
        let organisation = try await organisation()
        let path = url.path
        let navigation = currentUser.map { user in
            NavigationItem.visible(to: user).map {
                LayoutContext.Link(title: $0.title, path: $0.path,
                                   current: path == $0.path || ($0.path != "/home" && path.hasPrefix($0.path + "/")))
            }
        } ?? []
        // Only a session that exists can hold a message; asking an absent one would start one.
        let flash = hasSession ? session.data["flash"] : nil
        if flash != nil { session.data["flash"] = nil }
        return LayoutContext(
            title: title,
            organisationName: organisation?.name ?? "Lantern",
            person: currentUser.map { .init(name: $0.displayName, role: $0.role.displayName) },
            navigation: navigation,
            csrf: csrfToken,
            flash: flash,
            idleSeconds: currentUser == nil ? nil : Int(lantern.configuration.sessionLifetime.idleTimeout))
    }

    /// Renders a view inside the standard frame.
    func render<Content: Encodable>(_ view: String, _ content: Content, title: String,
                                    status: HTTPResponseStatus = .ok) async throws -> Response {
        let layout = try await layout(title: title, status: status)
        // Leaf renders only the view's content (`Layout/base.leaf` is just its place); the frame
        // is written around it in Swift.
        let content = try await self.view.render(view, Page(layout: layout, content: content)).get()
        return html(layout: layout, status: status) { $0.raw(rendered: content.data) }
    }

    /// A page written in Swift inside the standard frame (the busiest pages).
    func render(title: String, status: HTTPResponseStatus = .ok, _ write: (inout HTML, LayoutContext) throws -> Void) async throws -> Response {
        let layout = try await layout(title: title, status: status)
        return try html(layout: layout, status: status) { try write(&$0, layout) }
    }

    private func layout(title: String, status: HTTPResponseStatus) async throws -> LayoutContext {
        // A form answered with its errors (422), or a wait before trying again (429).
        let hasErrors = status == .unprocessableEntity || status == .tooManyRequests
        var layout = try await layout(title: hasErrors ? "Error: " + title : title)
        layout.hasErrors = hasErrors
        return layout
    }

    private func html(layout: LayoutContext, status: HTTPResponseStatus, _ content: (inout HTML) throws -> Void) rethrows -> Response {
        var html = HTML()
        LayoutFrame.writeHead(layout, into: &html)
        try content(&html)
        LayoutFrame.writeFoot(layout, into: &html)
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: status, headers: headers, body: .init(buffer: html.buffer))
    }

    /// A one-line confirmation shown on the next page ("Role changed").
    func flash(_ message: String) {
        session.data["flash"] = message
    }

    /// After a change: to the page that shows it, with a line saying what was done.
    func redirect(to path: String, saying message: String) -> Response {
        flash(message)
        return redirect(to: path)
    }
}

/// An empty content value for views that need only the frame.
struct NoContent: Encodable {}
