import Foundation
import StatementChecker

/// What the report page shows: facts, the verdict table, and each criterion's evidence
/// highlighted in its context (the sentence before and after).
struct StatementReportView: Encodable {
    struct Fact: Encodable { let name: String; let value: String }
    struct EvidenceItem: Encodable {
        let position: Int
        let before: String
        let sentence: String
        let after: String
        let status: String
        let score: String
        /// The status and the score in words, for the line above the sentence.
        let meaning: String
        /// "Marked not evidence by …", when a reviewer said so.
        var reviewerNote: String? = nil
        var markedNotEvidence = false
    }
    /// A reviewer's verdict on a criterion, shown in place of Lantern's, with Lantern's beside it.
    struct Review: Encodable {
        let verdictLabel: String
        let by: String
        let on: String
        let note: String
        let modelVerdictLabel: String
    }
    struct Criterion: Encodable {
        let id: String
        let title: String
        let requirement: String
        let verdict: String
        let verdictLabel: String
        let confidence: String
        let note: String
        let evidence: [EvidenceItem]
        var review: Review? = nil
    }

    let source: String
    let kind: String
    let checkedAt: String
    let sentenceCount: Int
    let facts: [Fact]
    let warnings: [String]
    struct Block: Encodable { let heading: String; let intro: String; let caption: String; let criteria: [Criterion] }
    let blocks: [Block]
    let id: String
    let canReview: Bool
    let typed: TypedForm
    let errors: FormErrors
    let verdictOptions: [SelectOption]

    /// Sentences are stored without their full stop; it is put back for reading.
    static func closed(_ sentence: String) -> String {
        guard let last = sentence.last, last.isLetter || last.isNumber || last == ")" else { return sentence }
        return sentence + "."
    }

    /// Each verdict in words, by its stored value.
    static let verdictLabels = ["met": "Met", "not_explicit": "Not explicit", "not_found": "Not found"]

    init(record: StatementCheckRecord, report: StatementReport, reviews: [StatementReview] = [], labels: [StatementSentenceLabel] = [],
         names: [UUID: String] = [:], canReview: Bool = false, typed: TypedForm = TypedForm()) {
        id = record.id!.uuidString
        self.canReview = canReview
        self.typed = typed
        errors = typed.errors
        verdictOptions = StatementReport.Verdict.allCases.map { SelectOption(value: $0.rawValue, label: Self.verdictLabels[$0.rawValue] ?? $0.rawValue, selected: false) }
        source = record.source
        kind = report.kind
        checkedAt = DisplayDate.dateTime(record.checkedAt)
        sentenceCount = report.sentenceCount
        let f = report.facts
        facts = [
            Fact(name: "Organisation", value: f.organisation ?? "Not found"),
            Fact(name: "Period covered", value: (f.periodStart.map { "\($0) to \(f.periodEnd ?? "?")" } ?? f.periodEnd.map { "Year ending \($0)" } ?? "Not found")
                + StatementReport.periodSource(f, sentences: report.sentences)),
            Fact(name: "Approved by", value: f.approvingBody.map { body in f.approvalDate.map { "\(body), \($0)" } ?? body } ?? "Not found"),
            Fact(name: "Signed by", value: f.signatoryName.map { name in f.signatoryRole.map { "\(name), \($0)" } ?? name } ?? "Not found"),
            Fact(name: "Statement date", value: f.statementDate ?? "Not found"),
            Fact(name: "Acts cited", value: f.actsCited.isEmpty ? "None found" : f.actsCited.joined(separator: "; ")),
        ]
        warnings = report.warnings
        let sentences = report.sentences
        func item(_ index: Int, status: String, score: String, meaning: String) -> EvidenceItem {
            EvidenceItem(position: index + 1,
                         before: index > 0 && index - 1 < sentences.count ? Self.closed(sentences[index - 1]) : "",
                         sentence: index < sentences.count ? Self.closed(sentences[index]) : "",
                         after: index + 1 < sentences.count ? Self.closed(sentences[index + 1]) : "",
                         status: status, score: score, meaning: meaning)
        }
        func criterion(_ finding: StatementReport.Finding) -> Criterion {
            let marks = labels.filter { $0.criterionID == finding.id }
            var evidence = finding.evidence.map { e in
                var shown = item(e.index, status: e.status.rawValue, score: String(format: "%.2f", e.score), meaning: Self.meaning(e))
                if let mark = marks.first(where: { $0.sentenceIndex == e.index && !$0.isEvidence }) {
                    shown.markedNotEvidence = true
                    shown.reviewerNote = "Marked not evidence by \(names[mark.labelledBy] ?? "a reviewer") on \(DisplayDate.date(mark.labelledAt))"
                }
                return shown
            }
            // Sentences a reviewer added, in reading order after Lantern's.
            for mark in marks.filter(\.isEvidence).sorted(by: { $0.sentenceIndex < $1.sentenceIndex })
            where !finding.evidence.contains(where: { $0.index == mark.sentenceIndex }) {
                var added = item(mark.sentenceIndex, status: "done", score: "", meaning: "Marked as evidence by a reviewer")
                added.reviewerNote = "Marked as evidence by \(names[mark.labelledBy] ?? "a reviewer") on \(DisplayDate.date(mark.labelledAt))"
                evidence.append(added)
            }
            let review = reviews.first { $0.criterionID == finding.id }
            let verdict = review?.verdict ?? finding.verdict
            return Criterion(
                id: finding.id, title: finding.title, requirement: finding.requirement, verdict: verdict.rawValue,
                verdictLabel: Self.verdictLabels[verdict.rawValue] ?? verdict.rawValue,
                confidence: String(format: "%.0f%%", finding.confidence * 100), note: finding.note ?? "", evidence: evidence,
                review: review.map { r in
                    Review(verdictLabel: Self.verdictLabels[r.verdict.rawValue] ?? "", by: names[r.reviewedBy] ?? "a reviewer", on: DisplayDate.date(r.reviewedAt),
                           note: r.note, modelVerdictLabel: Self.verdictLabels[r.modelVerdict.rawValue] ?? "")
                })
        }
        blocks = [
            Block(heading: "Modern Slavery Act 2015, section 54",
                  intro: "Approval, signature and the period are required. The six areas are recommended by the Home Office guidance. Plans (\u{201C}we will\u{201D}), denials (\u{201C}we do not\u{201D}) and commitments without action are shown but not counted as met.",
                  caption: "UK criteria", criteria: report.ukCriteria.map(criterion)),
            Block(heading: "AIMS.au criteria (Australian Modern Slavery Act 2018)",
                  intro: "The 11 sentence-level criteria of the AIMS.au dataset. The first two and C2 to C5 correspond to the UK areas; C1 and C6 apply to Australian statements only.",
                  caption: "AIMS.au criteria", criteria: report.aimsCriteria.map(criterion)),
        ]
    }

    /// "Says what was done, a close match": what the sentence is and how closely it fits.
    static func meaning(_ e: StatementReport.Evidence) -> String {
        let kind = switch e.status {
        case .done: "Says what was done"
        case .planned: "Says what is planned, not yet done"
        case .denied: "Says it was not done"
        case .vague: "A commitment without detail"
        }
        let fit = e.score >= 0.8 ? "a close match" : e.score >= 0.5 ? "a likely match" : "a possible match"
        return "\(kind), \(fit)"
    }
}
