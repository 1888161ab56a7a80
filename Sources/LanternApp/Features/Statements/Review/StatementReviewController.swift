import Fluent
import Foundation
import LanternCore
import StatementChecker
import Vapor

/// A reviewer in the loop: a procurement officer confirms or corrects each criterion's verdict,
/// and marks sentences as evidence or not. The reviewer's verdict is the one the page, the
/// register and its export show; Lantern's stays beside it.
struct StatementReviewController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let review = routes.requiring(.checkStatements).grouped("statements", ":checkID")
        review.post("reviews", use: saveReview)
        review.post("sentences", use: labelSentence)
    }

    static func find(_ req: Request) async throws -> (StatementCheckRecord, StatementReport) {
        guard let id = req.parameters.get("checkID").flatMap(UUID.init(uuidString:)),
              let record = try await StatementCheckRecord.find(id, on: req.db) else { throw LanternError.notFound }
        return (record, try JSONDecoder().decode(StatementReport.self, from: record.report))
    }

    /// The report page, with its reviews and marked sentences.
    static func render(_ req: Request, _ record: StatementCheckRecord, _ report: StatementReport, typed: TypedForm = TypedForm(),
                       status: HTTPStatus = .ok) async throws -> Response {
        let reviews = try await StatementReview.query(on: req.db).filter(\.$checkID == record.id!).all()
        let labels = try await StatementSentenceLabel.query(on: req.db).filter(\.$checkID == record.id!).sort(\.$labelledAt).all()
        let ids = Set(reviews.map(\.reviewedBy) + labels.map(\.labelledBy))
        let names = Dictionary(uniqueKeysWithValues: try await User.query(on: req.db).filter(\.$id ~~ ids).all().map { ($0.id!, $0.displayName) })
        let view = StatementReportView(record: record, report: report, reviews: reviews, labels: labels, names: names,
                                       canReview: req.currentUser?.can(.checkStatements) ?? false, typed: typed)
        return try await req.render("Statements/report", view, title: "Statement check: \(record.source)", status: status)
    }

    struct ReviewForm: Content { var criterion: String?; var verdict: String?; var note: String?; var position: String?; var is_evidence: String? }

    func saveReview(req: Request) async throws -> Response {
        let (record, report) = try await Self.find(req)
        let form = try req.form(ReviewForm.self)
        let criterion = FormText.trim(form.criterion), note = FormText.trim(form.note)
        guard let finding = (report.ukCriteria + report.aimsCriteria).first(where: { $0.id == criterion }) else { throw LanternError.notFound }
        var typed = TypedForm(section: criterion, values: ["note": note])
        let verdict = StatementReport.Verdict(rawValue: form.verdict ?? "")
        if verdict == nil { typed.errors.add("\(criterion)-verdict-met", "Choose your verdict on \(finding.title)") }
        if note.count > 2000 { typed.errors.add("\(criterion)-note", "The reason must be 2000 characters or fewer") }
        guard typed.errors.isEmpty, let verdict else { return try await Self.render(req, record, report, typed: typed, status: .unprocessableEntity) }
        let review = StatementReview()
        review.checkID = record.id!; review.criterionID = criterion; review.verdict = verdict; review.modelVerdict = finding.verdict
        review.note = note; review.reviewedBy = req.currentUser!.id!; review.reviewedAt = req.lantern.now()
        try await req.db.writeTransaction { db in
            try await StatementReview.query(on: db).filter(\.$checkID == record.id!).filter(\.$criterionID == criterion).delete()
            try await review.create(on: db)
            try await Self.refreshVerdicts(record, report, on: db)
            try await req.audit(.update, .statementCheck, id: record.id!.uuidString,
                                detail: "review: \(criterion) \(verdict.rawValue) (Lantern: \(finding.verdict.rawValue))", on: db)
        }
        req.application.procurementFigures.invalidate()
        return req.redirect(to: "/statements/\(record.id!.uuidString)#\(criterion)", saying: "Your verdict on \(finding.title) is saved.")
    }

    func labelSentence(req: Request) async throws -> Response {
        let (record, report) = try await Self.find(req)
        let form = try req.form(ReviewForm.self)
        let criterion = FormText.trim(form.criterion), positionText = FormText.trim(form.position)
        guard let finding = (report.ukCriteria + report.aimsCriteria).first(where: { $0.id == criterion }) else { throw LanternError.notFound }
        var typed = TypedForm(section: criterion, values: ["position": positionText])
        let position = Int(positionText)
        if positionText.isEmpty { typed.errors.add("\(criterion)-position", "Enter the number of the sentence") }
        else if position == nil || !(1...max(report.sentences.count, 1)).contains(position!) {
            typed.errors.add("\(criterion)-position", "Enter a sentence number from 1 to \(report.sentences.count)")
        }
        guard typed.errors.isEmpty, let position, report.sentences.indices.contains(position - 1) else {
            return try await Self.render(req, record, report, typed: typed, status: .unprocessableEntity)
        }
        let isEvidence = form.is_evidence == "yes"
        let label = StatementSentenceLabel()
        label.checkID = record.id!; label.sentenceIndex = position - 1; label.sentence = report.sentences[position - 1]
        label.criterionID = criterion; label.isEvidence = isEvidence; label.labelledBy = req.currentUser!.id!; label.labelledAt = req.lantern.now()
        try await req.db.writeTransaction { db in
            try await StatementSentenceLabel.query(on: db).filter(\.$checkID == record.id!).filter(\.$criterionID == criterion)
                .filter(\.$sentenceIndex == position - 1).delete()
            try await label.create(on: db)
            try await req.audit(.update, .statementCheck, id: record.id!.uuidString,
                                detail: "sentence \(position) \(isEvidence ? "is" : "is not") evidence of \(criterion)", on: db)
        }
        return req.redirect(to: "/statements/\(record.id!.uuidString)#\(criterion)",
                            saying: "Sentence \(position) marked as \(isEvidence ? "evidence" : "not evidence") of \(finding.title).")
    }

    /// The check's verdicts and count of criteria met, with the reviewers' verdicts in place of
    /// Lantern's; and its supplier's, when it is the supplier's latest check.
    static func refreshVerdicts(_ record: StatementCheckRecord, _ report: StatementReport, on db: any Database) async throws {
        let reviews = try await StatementReview.query(on: db).filter(\.$checkID == record.id!).all()
        let overrides = Dictionary(reviews.map { ($0.criterionID, $0.verdict) }, uniquingKeysWith: { first, _ in first })
        record.verdicts = StatementVerdicts.text(report, overrides: overrides)
        record.metCount = report.ukCriteria.filter { (overrides[$0.id] ?? $0.verdict) == .met }.count
        try await record.save(on: db)
        if let supplierID = record.supplierID, let supplier = try await Supplier.find(supplierID, on: db), supplier.statementCheckID == record.id {
            supplier.statementVerdicts = record.verdicts
            supplier.statementGaps = record.criteriaCount - record.metCount
            try await supplier.save(on: db)
        }
    }
}
