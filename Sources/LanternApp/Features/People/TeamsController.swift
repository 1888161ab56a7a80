import Fluent
import Foundation
import Vapor

/// Administrator page listing teams and adding or renaming them.
struct TeamsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let teams = routes.requiring(.manageUsers).grouped("admin", "teams")
        teams.get(use: list)
        teams.post(use: create)
        teams.post(":teamID", "rename", use: rename)
    }

    struct Row: Encodable {
        let id: String
        let name: String
        let members: Int
    }

    struct View: Encodable {
        let teams: [Row]
        let name: String
        let errors: FormErrors
    }

    struct Form: Content {
        var name: String?
    }

    private func view(req: Request, name: String = "", errors: FormErrors = FormErrors()) async throws -> View {
        let teams = try await Team.query(on: req.db).sort(\.$name).all()
        // One query for all members, not one per team.
        let members = try await User.query(on: req.db).filter(\.$isActive == true).filter(\.$team.$id != nil).field(\.$id).field(\.$team.$id).all()
        let counts = Dictionary(grouping: members, by: { $0.$team.id }).mapValues(\.count)
        let rows = teams.map { Row(id: $0.id!.uuidString, name: $0.name, members: counts[$0.id] ?? 0) }
        return View(teams: rows, name: name, errors: errors)
    }

    func list(req: Request) async throws -> Response {
        try await req.render("People/teams", try await view(req: req), title: "Teams")
    }

    private func validate(_ name: String, req: Request, excluding: UUID? = nil) async throws -> FormErrors {
        var errors = FormErrors()
        if name.isEmpty { errors.add("name", "Enter the team's name") }
        else if name.count > 120 { errors.add("name", "The team's name must be 120 characters or fewer") }
        else if let existing = try await Team.query(on: req.db).filter(\.$name == name).first(), existing.id != excluding {
            errors.add("name", "There is already a team called \(name)")
        }
        return errors
    }

    func create(req: Request) async throws -> Response {
        let name = (try req.form(Form.self).name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let errors = try await validate(name, req: req)
        guard errors.isEmpty else {
            return try await req.render("People/teams", try await view(req: req, name: name, errors: errors),
                                        title: "Teams", status: .unprocessableEntity)
        }
        let team = Team(name: name)
        try await req.write(team, .create, .team)
        return req.redirect(to: "/admin/teams", saying: "Team \(name) added.")
    }

    func rename(req: Request) async throws -> Response {
        guard let id = req.parameters.get("teamID").flatMap(UUID.init(uuidString:)),
              let team = try await Team.find(id, on: req.db) else { throw LanternError.notFound }
        let name = (try req.form(Form.self).name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let errors = try await validate(name, req: req, excluding: id)
        guard errors.isEmpty else {
            return try await req.render("People/teams", try await view(req: req, errors: errors),
                                        title: "Teams", status: .unprocessableEntity)
        }
        team.name = name
        try await req.write(team, .update, .team)
        return req.redirect(to: "/admin/teams", saying: "Team renamed to \(name).")
    }
}
