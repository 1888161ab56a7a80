import Fluent
import Foundation
import LanternCore
import Vapor

/// What a caseworker or safeguarding lead sees first: concerns to acknowledge, and the dated
/// items on their cases that are overdue or due within a week, read from indexed due dates.
enum SafeguardingHome {
    struct Deadline: Encodable {
        let caseID: String
        let reference: String
        let what: String
        let due: String
        let overdue: Bool
    }

    static let horizonDays = 7

    static func figures(_ req: Request, _ user: User) async throws -> [HomeController.Figure] {
        var figures: [HomeController.Figure] = []
        let today = req.today
        if user.can(.handleConcerns), let waiting = NeedToKnow.concerns(req, user) {
            let count = try await waiting.filter(\.$status == .received).copy().countRows()
            let late = try await waiting.filter(\.$acknowledgeBy < today.iso).countRows()
            figures.append(.init(label: "Concerns waiting for acknowledgement", value: String(count), path: "/concerns?status=to_acknowledge"))
            figures.append(.init(label: "Of which past the 7-day acknowledgement date", value: String(late), path: "/concerns?status=to_acknowledge"))
        }
        if user.can(.viewCases) {
            let open = try await NeedToKnow.cases(req, user).filter(\.$status == .open).countRows()
            let overdue = try await NeedToKnow.cases(req, user).filter(\.$status == .open).filter(\.$nextDeadline < today.iso).countRows()
            figures.append(.init(label: "Open cases", value: String(open), path: "/cases"))
            figures.append(.init(label: "Cases with an overdue task or decision to chase", value: String(overdue), path: "/cases"))
        }
        return figures
    }

    static func deadlines(_ req: Request, _ user: User) async throws -> [Deadline] {
        guard user.can(.viewCases) else { return [] }
        let today = req.today
        let horizon = today.adding(days: horizonDays).iso
        let cases = try await NeedToKnow.cases(req, user).filter(\.$status == .open).filter(\.$nextDeadline <= horizon)
            .sort(\.$nextDeadline).limit(15).all()
        guard !cases.isEmpty else { return [] }
        let ids = cases.compactMap(\.id)
        let tasks = try await CaseTask.query(on: req.db).filter(\.$safeguardingCase.$id ~~ ids).filter(\.$doneAt == nil)
            .filter(\.$dueOn <= horizon).all()
        let notifications = try await HomeOfficeReferral.query(on: req.db).filter(\.$safeguardingCase.$id ~~ ids)
            .filter(\.$dueOn <= horizon).all()
        var rows: [Deadline] = []
        for c in cases {
            let shown = tasks.filter { $0.$safeguardingCase.id == c.id }
            for t in shown {
                rows.append(.init(caseID: c.id!.uuidString, reference: c.reference, what: "Task: " + (try t.open(with: req.cipher)),
                                  due: Day(parsing: t.dueOn)?.long ?? t.dueOn, overdue: t.dueOn < today.iso))
            }
            // A task's title is case content: showing it is a read of the case, audited like any other.
            if !shown.isEmpty { try await req.audit(.read, .case, id: c.id?.uuidString, detail: "task titles on the home page") }
            for n in notifications where n.$safeguardingCase.id == c.id && [.draft, .submitted, .awaitingRG].contains(n.state) {
                if let d = NRMLifecycle.deadline(for: n.record, today: today, draftStarted: Day(parsing: n.startedOn)) {
                    rows.append(.init(caseID: c.id!.uuidString, reference: c.reference, what: "\(n.kind.label): \(d.what)", due: d.due.long, overdue: d.overdue))
                }
            }
        }
        return rows
    }
}
