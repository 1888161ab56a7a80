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
    }

    let source: String
    let kind: String
    let checkedAt: String
    let sentenceCount: Int
    let facts: [Fact]
    let warnings: [String]
    struct Block: Encodable { let caption: String; let criteria: [Criterion] }
    let ukBlock: Block
    let aimsBlock: Block

    /// Sentences are stored without their full stop; it is put back for reading.
    static func closed(_ sentence: String) -> String {
        guard let last = sentence.last, last.isLetter || last.isNumber || last == ")" else { return sentence }
        return sentence + "."
    }

    init(record: StatementCheckRecord, report: StatementReport) {
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
        func criterion(_ finding: StatementReport.Finding) -> Criterion {
            Criterion(
                id: finding.id, title: finding.title, requirement: finding.requirement, verdict: finding.verdict.rawValue,
                verdictLabel: ["met": "Met", "not_explicit": "Not explicit", "not_found": "Not found"][finding.verdict.rawValue] ?? finding.verdict.rawValue,
                confidence: String(format: "%.0f%%", finding.confidence * 100), note: finding.note ?? "",
                evidence: finding.evidence.map { e in
                    EvidenceItem(position: e.index + 1,
                                 before: e.index > 0 && e.index - 1 < sentences.count ? Self.closed(sentences[e.index - 1]) : "",
                                 sentence: Self.closed(e.sentence),
                                 after: e.index + 1 < sentences.count ? Self.closed(sentences[e.index + 1]) : "",
                                 status: e.status.rawValue, score: String(format: "%.2f", e.score), meaning: Self.meaning(e))
                })
        }
        ukBlock = Block(caption: "UK criteria", criteria: report.ukCriteria.map(criterion))
        aimsBlock = Block(caption: "AIMS.au criteria", criteria: report.aimsCriteria.map(criterion))
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
