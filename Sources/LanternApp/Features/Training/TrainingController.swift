import Fluent
import Foundation
import LanternCore
import Vapor

/// The training dashboard: a manager's own team (who is compliant, due soon, overdue, never
/// trained) and organisation-wide rates by directorate, job title and course; its CSV export.
/// A training manager sees every person; anyone else with the training permission sees the
/// people they line-manage and the organisation's rates, which name no one.
struct TrainingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let view = routes.requiring(.viewTraining).grouped("training")
        view.get(use: dashboard)
        view.get("export.csv", use: export)
    }

    struct Row: Encodable {
        let staffID: String
        let name: String
        let jobTitle: String
        let course: String
        let status: String
        let statusKey: String
        let lastCompleted: String
        let due: String
    }

    struct View: Encodable {
        let team: [Row]
        let teamRate: TrainingPicture.Rate?
        let overall: TrainingPicture.Rate
        let byDirectorate: [TrainingPicture.Rate]
        let byTeam: [TrainingPicture.Rate]
        /// The in-date rate by directorate and by team as bar charts, beside their tables.
        let directorateChart: String
        let teamChart: String
        let byJobTitle: [TrainingPicture.Rate]
        let byCourse: [TrainingPicture.Rate]
        let canManage: Bool
        let everyone: [Row]
        let status: String
        let statuses: [SelectOption]
    }

    static func chart(id: String, title: String, _ rates: [TrainingPicture.Rate]) -> String {
        Charts.bars(id: id, title: title, bars: rates.map { r in
            .init(label: r.label, value: r.required == 0 ? nil : r.inDate * 100 / r.required,
                  display: r.required == 0 ? "none required" : "\(r.percent) (\(r.inDate) of \(r.required))")
        })
    }

    static func rows(_ entries: [TrainingPicture.Entry]) -> [Row] {
        entries.map { e in
            Row(staffID: e.staff.id!.uuidString, name: e.staff.name, jobTitle: e.staff.jobTitle, course: e.course.name,
                status: e.state.status.label, statusKey: e.state.status.rawValue, lastCompleted: e.state.lastCompleted?.long ?? "Never",
                due: e.state.due?.long ?? (e.state.lastCompleted == nil ? "Now" : "Does not expire"))
        }
    }

    func dashboard(req: Request) async throws -> Response {
        let user = req.currentUser!
        let everyone = try await TrainingPicture.load(on: req.db, today: req.today)
        let team = everyone.entries.filter { $0.staff.managerEmail == user.email.lowercased() }
        let canManage = user.can(.manageTraining)
        let status = TrainingStatus(rawValue: req.queryValue("status"))
        let listed = canManage ? everyone.byUrgency.filter { status == nil || $0.state.status == status } : []
        try await req.audit(.read, .trainingDashboard, detail: canManage ? "organisation" : "own team")
        let statuses = [SelectOption(value: "", label: "Every status", selected: status == nil)]
            + TrainingStatus.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == status) }
        let byDirectorate = everyone.rates { $0.staff.directorate }
        let byTeam = everyone.rates { $0.staff.team ?? "No team recorded" }
        return try await req.render("Training/dashboard", View(
            team: Self.rows(TrainingPicture(entries: team, courses: everyone.courses).byUrgency),
            teamRate: team.isEmpty ? nil : TrainingPicture.rate("Your team", team),
            overall: everyone.overall,
            byDirectorate: byDirectorate, byTeam: byTeam,
            directorateChart: Self.chart(id: "directorate-chart", title: "Training in date by directorate", byDirectorate),
            teamChart: Self.chart(id: "team-chart", title: "Training in date by team", byTeam),
            byJobTitle: everyone.rates { $0.staff.jobTitle },
            byCourse: everyone.rates { $0.course.name },
            canManage: canManage, everyone: Self.rows(Array(listed.prefix(500))), status: status?.rawValue ?? "", statuses: statuses),
            title: "Training")
    }

    func export(req: Request) async throws -> Response {
        let user = req.currentUser!
        let picture = try await TrainingPicture.load(on: req.db, today: req.today, managerEmail: user.can(.manageTraining) ? nil : user.email)
        try await req.audit(.export, .trainingDashboard, detail: "CSV, \(picture.entries.count) rows")
        return req.csvDownload(filename: "training-\(req.today.iso).csv", header: TrainingPicture.csvHeader, rows: picture.csvRows)
    }
}
