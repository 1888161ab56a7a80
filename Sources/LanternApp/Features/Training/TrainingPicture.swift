import Fluent
import Foundation
import LanternCore

/// Who must take which course, and where each stands today: worked out from the staff list,
/// the requirements and the completions, by the rules in `TrainingCompliance`.
struct TrainingPicture {
    struct Entry {
        let staff: StaffMember
        let course: TrainingCourse
        let state: TrainingState
    }

    struct Rate: Encodable {
        let label: String
        let required: Int
        let inDate: Int
        let percent: String
        let dueSoon: Int
        let overdue: Int
        let neverTrained: Int
    }

    var entries: [Entry]
    var courses: [TrainingCourse]

    /// `staffIDs` narrows to some people (a manager's team); nil loads everyone still employed.
    static func load(on db: any Database, today: Day, managerEmail: String? = nil, staffIDs: [UUID]? = nil) async throws -> TrainingPicture {
        let courses = try await TrainingCourse.query(on: db).sort(\.$name).all()
        let requirements = try await TrainingRequirement.query(on: db).all()
        var staffQuery = StaffMember.query(on: db).group(.or) { $0.filter(\.$leftOn == nil).filter(\.$leftOn > today.iso) }
        if let managerEmail { staffQuery = staffQuery.filter(\.$managerEmail == managerEmail.lowercased()) }
        if let staffIDs { staffQuery = staffQuery.filter(\.$id ~~ staffIDs) }
        let staff = try await staffQuery.sort(\.$name).all()
        var completionQuery = TrainingCompletion.query(on: db).field(\.$id).field(\.$staff.$id).field(\.$course.$id).field(\.$completedOn)
        if managerEmail != nil || staffIDs != nil { completionQuery = completionQuery.filter(\.$staff.$id ~~ staff.compactMap(\.id)) }
        var done: [String: [Day]] = [:]
        for c in try await completionQuery.all() {
            if let day = Day(parsing: c.completedOn) { done["\(c.$staff.id)|\(c.$course.id)", default: []].append(day) }
        }
        let byCourse = Dictionary(grouping: requirements, by: { $0.$course.id })
        var entries: [Entry] = []
        for person in staff {
            for course in courses where (byCourse[course.id!] ?? []).contains(where: {
                $0.rule.applies(jobTitle: person.jobTitle, team: person.team, directorate: person.directorate)
            }) {
                let state = TrainingCompliance.state(completions: done["\(person.id!)|\(course.id!)"] ?? [], rule: course.rule,
                                                     startedOn: person.startedOn.flatMap(Day.init(parsing:)), today: today)
                entries.append(Entry(staff: person, course: course, state: state))
            }
        }
        return TrainingPicture(entries: entries, courses: courses)
    }

    func count(_ status: TrainingStatus) -> Int { entries.filter { $0.state.status == status }.count }

    /// Rates grouped by directorate, job title or course.
    func rates(by key: (Entry) -> String) -> [Rate] {
        Dictionary(grouping: entries, by: key).map { label, group in
            Self.rate(label, group)
        }.sorted { $0.label < $1.label }
    }

    static func rate(_ label: String, _ group: [Entry]) -> Rate {
        let states = group.map(\.state)
        return Rate(label: label, required: states.count, inDate: states.filter(\.inDate).count,
                    percent: TrainingCompliance.rate(states).map { "\($0)%" } ?? "–",
                    dueSoon: states.filter { $0.status == .dueSoon }.count, overdue: states.filter { $0.status == .overdue }.count,
                    neverTrained: states.filter { $0.status == .neverTrained }.count)
    }

    var overall: Rate { Self.rate("All staff", entries) }

    /// Most urgent first: overdue, never trained, due soon, then compliant.
    var byUrgency: [Entry] {
        let order: [TrainingStatus: Int] = [.overdue: 0, .neverTrained: 1, .dueSoon: 2, .compliant: 3]
        return entries.sorted { (order[$0.state.status]!, $0.staff.name, $0.course.name) < (order[$1.state.status]!, $1.staff.name, $1.course.name) }
    }

    static let csvHeader = ["staff_number", "name", "job_title", "team", "directorate", "course", "status", "last_completed", "due"]

    var csvRows: [[String]] {
        byUrgency.map { e in
            [e.staff.staffNumber, e.staff.name, e.staff.jobTitle, e.staff.team ?? "", e.staff.directorate, e.course.name,
             e.state.status.label, e.state.lastCompleted?.iso ?? "", e.state.due?.iso ?? ""]
        }
    }
}
