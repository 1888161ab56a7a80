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
        let plan = try await CompletionRecords.plan(file, today: req.today, on: req.db)
        guard plan.rejected.isEmpty else {
            throw APIProblem(.unprocessableEntity, title: "The request has wrong fields", "Nothing was recorded.", errors: plan.rejected.map {
                let reason = $0.reason.replacingOccurrences(of: "Line \($0.line): ", with: "")
                return .init(field: "/completions/\($0.line - 2)", detail: reason)
            })
        }
        let now = req.lantern.now(), user = req.currentUser?.id, rows = plan.newRows, already = plan.duplicates.count
        try await req.db.writeTransaction { db in
            try await CompletionRecords.record(rows, source: "API", by: user, now: now, on: db)
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
