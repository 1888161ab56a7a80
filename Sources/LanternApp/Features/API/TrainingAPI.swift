import Fluent
import Foundation
import LanternAPI
import LanternCore
import Vapor

/// Training over the API: completions pushed by a learning platform, checked by the CSV
/// import's rules (`TrainingImport.completions`), and compliance as figures without names.
extension LanternAPIService {
    func importTrainingCompletions(_ input: Operations.ImportTrainingCompletions.Input) async throws -> Operations.ImportTrainingCompletions.Output {
        let req = try await request(requiring: .manageTraining)
        guard case .json(let body) = input.body else { throw APIProblem(.unsupportedMediaType) }
        guard body.completions.count <= 10_000 else {
            throw APIProblem(.unprocessableEntity, title: "Too many completions", "Send at most 10,000 completions in one call.")
        }
        // The rows as the CSV import reads them: line n + 2 is item n (line 1 is the header).
        let header = ["staff_number", "email", "course", "completed_on", "provider", "evidence"]
        let file = CSVFile(header: header, rows: body.completions.map {
            [$0.staffNumber ?? "", $0.email ?? "", $0.course, $0.completedOn, $0.provider ?? "", $0.evidence ?? ""].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        })
        let staff = try await StaffMember.query(on: req.db).all()
        let byNumber = Dictionary(staff.map { ($0.staffNumber, $0.id!) }, uniquingKeysWith: { a, _ in a })
        let byEmail = Dictionary(staff.compactMap { p in p.email.map { ($0.lowercased(), p.id!) } }, uniquingKeysWith: { a, _ in a })
        let courses = Dictionary(try await TrainingCourse.query(on: req.db).all().map { ($0.name.lowercased(), $0.id!) }, uniquingKeysWith: { a, _ in a })
        let recorded = Set(try await TrainingCompletion.query(on: req.db).field(\.$id).field(\.$staff.$id).field(\.$course.$id).field(\.$completedOn).all()
            .map { "\($0.$staff.id.uuidString)|\($0.$course.id.uuidString)|\($0.completedOn)" })
        let plan = TrainingImport.completions(file, staffByNumber: byNumber, staffByEmail: byEmail, courses: courses, recorded: recorded, today: req.today)
        guard plan.rejected.isEmpty else {
            throw APIProblem(.unprocessableEntity, title: "The request has wrong fields", "Nothing was recorded.", errors: plan.rejected.map {
                let reason = $0.reason.replacingOccurrences(of: "Line \($0.line): ", with: "")
                return .init(field: "/completions/\($0.line - 2)", detail: reason)
            })
        }
        let now = req.lantern.now(), user = req.currentUser?.id, rows = plan.newRows, already = plan.duplicates.count
        try await req.db.writeTransaction { db in
            for row in rows {
                let c = TrainingCompletion()
                c.$staff.id = row.staffID
                c.$course.id = row.courseID
                c.completedOn = row.completedOn.iso
                c.provider = row.provider
                c.evidence = row.evidence
                c.source = "API"
                c.recordedBy = user
                c.recordedAt = now
                try await c.create(on: db)
            }
            try await req.audit(.importData, .trainingCompletion, detail: "API: \(rows.count) added, \(already) already held", on: db)
        }
        return .ok(.init(body: .json(.init(created: rows.count, alreadyRecorded: already))))
    }

    func getTrainingCompliance(_ input: Operations.GetTrainingCompliance.Input) async throws -> Operations.GetTrainingCompliance.Output {
        let req = try await request(requiring: .viewTraining)
        let picture = try await TrainingPicture.load(on: req.db, today: req.today)
        try await req.audit(.read, .trainingDashboard, detail: "API")
        func rate(_ r: TrainingPicture.Rate) -> Components.Schemas.ComplianceRate {
            .init(label: r.label, required: r.required, inDate: r.inDate, percent: r.percent, dueSoon: r.dueSoon, overdue: r.overdue, neverTrained: r.neverTrained)
        }
        return .ok(.init(body: .json(.init(asOf: req.today.iso, overall: rate(picture.overall),
                                           byCourse: picture.rates(by: { $0.course.name }).map(rate),
                                           byDirectorate: picture.rates(by: { $0.staff.directorate }).map(rate)))))
    }
}
