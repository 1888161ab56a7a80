import Crypto
import Fluent
import Foundation
import StatementChecker

/// The reviewers' corrections as labelled sentences, for `lantern statement-model train
/// --with-corrections`. A check teaches only the labels a reviewer looked at: for those, the
/// sentences that show it are the ones Lantern found and the reviewer did not strike out, plus
/// those the reviewer added (none when the reviewer found the criterion not there at all);
/// every other sentence of the statement shows it not.
///
/// Each criterion teaches the label that makes its verdict: AIMS.au rows their own label; the
/// UK rows whose verdict comes from one label (approval, signature, risk from C3, due diligence
/// from C4 mitigation, effectiveness from C5). Policies, training and the period come from
/// rules, and the structure row from three labels at once, so they teach none.
public enum StatementCorrections {
    static let ukLabels: [String: AIMSLabel] = [
        "approval": .approval, "signature": .signature, "risk": .c3RiskDescription,
        "due_diligence": .c4RiskMitigation, "effectiveness": .c5Effectiveness,
    ]

    static func label(of criterion: String) -> AIMSLabel? {
        if criterion.hasPrefix("aims_"), let raw = Int(criterion.dropFirst(5)) { return AIMSLabel(rawValue: raw) }
        return ukLabels[criterion]
    }

    /// One statement per distinct text: a statement checked twice (a yearly re-check of an
    /// unchanged statement) is one group, so cross-validation never scores a text it trained on.
    public static func statements(on db: any Database) async throws -> [LabelledSentences.Statement] {
        let reviews = try await StatementReview.query(on: db).all()
        let marks = try await StatementSentenceLabel.query(on: db).all()
        let checkIDs = Set(reviews.map(\.checkID) + marks.map(\.checkID))
        guard !checkIDs.isEmpty else { return [] }
        var byText: [String: (sentences: [String], labels: [[Bool]], known: [Bool])] = [:]
        for record in try await StatementCheckRecord.query(on: db).filter(\.$id ~~ checkIDs).sort(\.$checkedAt).sort(\.$id).all() {
            guard let report = try? JSONDecoder().decode(StatementReport.self, from: record.report), !report.sentences.isEmpty else { continue }
            let findings = Dictionary((report.ukCriteria + report.aimsCriteria).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            var labels = [[Bool]](repeating: [Bool](repeating: false, count: AIMSLabel.allCases.count), count: report.sentences.count)
            var known = [Bool](repeating: false, count: AIMSLabel.allCases.count)
            let reviewed = Set(reviews.filter { $0.checkID == record.id }.map(\.criterionID) + marks.filter { $0.checkID == record.id }.map(\.criterionID))
            for criterion in reviewed.sorted() {
                guard let label = label(of: criterion), let finding = findings[criterion] else { continue }
                let own = marks.filter { $0.checkID == record.id && $0.criterionID == criterion }
                let verdict = reviews.first { $0.checkID == record.id && $0.criterionID == criterion }?.verdict
                var shown = Set(verdict == .notFound ? [] : finding.evidence.map(\.index))
                shown.subtract(own.filter { !$0.isEvidence }.map(\.sentenceIndex))
                shown.formUnion(own.filter(\.isEvidence).map(\.sentenceIndex))
                known[label.rawValue] = true
                for index in shown where labels.indices.contains(index) { labels[index][label.rawValue] = true }
            }
            guard known.contains(true) else { continue }
            let key = SHA256.hash(data: Data(report.sentences.joined(separator: "\n").utf8)).map { String(format: "%02x", $0) }.joined()
            if var earlier = byText[key] {
                // The later review of the same text decides the labels it looked at.
                for l in known.indices where known[l] {
                    earlier.known[l] = true
                    for i in earlier.labels.indices { earlier.labels[i][l] = labels[i][l] }
                }
                byText[key] = earlier
            } else {
                byText[key] = (report.sentences, labels, known)
            }
        }
        return byText.keys.sorted().map { key in
            let s = byText[key]!
            return LabelledSentences.Statement(id: "correction-\(key.prefix(16))", sentences: s.sentences, labels: s.labels, known: s.known, source: "corrections")
        }
    }
}
