import Foundation

extension StatementReport {
    /// Where the period came from, to show beside it: the sentence that states it, or the label
    /// it was read from.
    public static func periodSource(_ f: Facts, sentences: [String]) -> String {
        guard f.periodEnd != nil else { return "" }
        if let label = f.periodInferredFrom { return " (read from \"\(label)\" as a UK financial year; no sentence states it)" }
        guard let index = f.periodSentence, sentences.indices.contains(index) else { return "" }
        let sentence = sentences[index]
        return " (stated: \u{201C}\(sentence.count > 140 ? String(sentence.prefix(139)) + "\u{2026}" : sentence)\u{201D})"
    }

    /// The plain-text report `lantern check-statement` prints.
    public var text: String {
        var lines: [String] = ["== \(source) (\(kind), \(sentenceCount) sentences)"]
        let f = facts
        func fact(_ name: String, _ value: String?) { lines.append("  \(name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(value ?? "not found")") }
        fact("Organisation", f.organisation)
        fact("Period", (f.periodStart.map { "\($0) to \(f.periodEnd ?? "?")" } ?? f.periodEnd.map { "year ending \($0)" }).map { $0 + Self.periodSource(f, sentences: sentences) })
        fact("Approved by", f.approvingBody.map { body in f.approvalDate.map { "\(body) on \($0)" } ?? body })
        fact("Signed by", f.signatoryName.map { name in f.signatoryRole.map { "\(name), \($0)" } ?? name })
        fact("Statement date", f.statementDate)
        fact("Acts cited", f.actsCited.isEmpty ? nil : f.actsCited.joined(separator: "; "))
        for warning in warnings { lines.append("  ! \(warning)") }
        for (heading, findings) in [("UK s54", ukCriteria), ("AIMS.au criteria", aimsCriteria)] {
            lines.append("")
            lines.append("  \(heading)")
            for finding in findings {
                let verdict = finding.verdict.rawValue.replacingOccurrences(of: "_", with: " ").uppercased()
                lines.append("  [\(verdict.padding(toLength: 12, withPad: " ", startingAt: 0))] \(finding.title) (\(finding.requirement), confidence \(String(format: "%.2f", finding.confidence)))")
                if let note = finding.note { lines.append("      note: \(note)") }
                for e in finding.evidence.prefix(3) {
                    let excerpt = e.sentence.count > 160 ? String(e.sentence.prefix(157)) + "..." : e.sentence
                    lines.append("      #\(e.index + 1) [\(e.status.rawValue)] \(excerpt)")
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
