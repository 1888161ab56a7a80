import Fluent
import Foundation
import LanternCore
import Vapor

/// Keeps each case's and notification's next deadline in an indexed column, so home pages read
/// due items by index rather than scanning every case (`security.md` §5: jobs on indexed due dates).
enum CaseDeadlines {
    static func refresh(_ c: SafeguardingCase, on db: any Database, today: Day) async throws {
        let tasks = try await CaseTask.query(on: db).filter(\.$safeguardingCase.$id == c.id!).filter(\.$doneAt == nil)
            .sort(\.$dueOn).first()
        let notifications = try await HomeOfficeReferral.query(on: db).filter(\.$safeguardingCase.$id == c.id!).all()
        var dates = [tasks?.dueOn].compactMap { $0 }
        for n in notifications {
            let due = NRMLifecycle.deadline(for: n.record, today: today, draftStarted: Day(parsing: n.startedOn))?.due.iso
            if n.dueOn != due {
                n.dueOn = due
                try await n.save(on: db)
            }
            if let due, [.draft, .submitted, .awaitingRG].contains(n.state) { dates.append(due) }
        }
        let next = c.isOpen ? dates.min() : nil
        if c.nextDeadline != next {
            c.nextDeadline = next
            try await c.save(on: db)
        }
    }
}
