import Fluent
import Foundation
import LanternCore
import Vapor

/// The signed-in session seen from the page: how long it has left, keeping it alive (the
/// timeout warning's "Stay signed in"), and the forms kept when one arrived after it ended.
struct SessionController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.signedIn()
        signedIn.get("session", "remaining", use: remaining)
        signedIn.post("session", "keep-alive", use: keepAlive)
        signedIn.get("kept-forms", ":id", use: showKept)
        signedIn.post("kept-forms", ":id", "discard", use: discardKept)
    }

    struct Remaining: Content { let seconds: Int }

    /// Asked by the timeout warning before it shows, so a person busy in another tab is not warned.
    func remaining(req: Request) async throws -> Remaining {
        req.storage[SessionUntouchedKey.self] = true
        return Remaining(seconds: req.sessionSecondsLeft(countingThisRequest: false) ?? 0)
    }

    /// Any signed-in request extends the session; this one does nothing else.
    func keepAlive(req: Request) async throws -> Remaining {
        Remaining(seconds: req.sessionSecondsLeft(countingThisRequest: true) ?? 0)
    }

    struct KeptView: Encodable {
        struct Text: Encodable { let id: String; let name: String; let label: String; let value: String }
        struct Answer: Encodable { let name: String; let label: String; let value: String }
        let id: String
        let action: String
        let expires: String
        /// Free text, shown in boxes to check and change before sending.
        let texts: [Text]
        /// Short answers (choices, dates, numbers), sent as they were.
        let answers: [Answer]
    }

    func showKept(req: Request) async throws -> Response {
        let kept = try await keptForm(req)
        var texts: [KeptView.Text] = [], answers: [KeptView.Answer] = []
        for (index, field) in try kept.open(with: req.cipher).enumerated() {
            let label = Self.label(for: field.name)
            if field.value.contains("\n") || field.value.count > 80 {
                texts.append(.init(id: "kept-\(index)", name: field.name, label: label, value: field.value))
            } else {
                answers.append(.init(name: field.name, label: label, value: field.value))
            }
        }
        try await req.audit(.read, .keptForm, id: kept.id?.uuidString)
        let view = KeptView(id: kept.id!.uuidString, action: kept.action, expires: DisplayDate.dateTime(kept.expiresAt),
                            texts: texts, answers: answers)
        return try await req.render("Sessions/kept-form", view, title: "Send what you typed before you were signed out")
    }

    func discardKept(req: Request) async throws -> Response {
        let kept = try await keptForm(req)
        try await req.db.writeTransaction { db in
            try await kept.delete(on: db)
            try await req.audit(.delete, .keptForm, id: kept.id?.uuidString, on: db)
        }
        return req.redirect(to: "/home", saying: "What you typed before you were signed out has been deleted.")
    }

    private func keptForm(_ req: Request) async throws -> KeptForm {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)), let user = req.currentUser?.id,
              let kept = try await KeptForm.find(id, of: user, on: req.db, now: req.lantern.now()) else {
            throw LanternError(.notFound, title: "What you typed is no longer kept",
                               "A form sent after you were signed out is kept for an hour, for you alone. This one has been sent, deleted, or has run out of time.")
        }
        return kept
    }

    /// A field's name in words: `uk_towns` is "UK towns", `types[]` is "Types".
    static func label(for name: String) -> String {
        let words = name.replacingOccurrences(of: "[]", with: "").split(whereSeparator: { $0 == "_" || $0 == "-" })
            .map { acronyms.contains($0.lowercased()) ? $0.uppercased() : $0.lowercased() }
            .joined(separator: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    private static let acronyms: Set<String> = ["uk", "nrm", "kpi", "url", "id", "dtn", "sq"]
}
