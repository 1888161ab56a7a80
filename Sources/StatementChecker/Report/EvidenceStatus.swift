import Foundation

/// Whether a relevant sentence reports action. Relevance is not action: "we intend to audit"
/// and "we do not provide training" must not count as audits or training.
///
/// Source: `shared/docs/domain/statements.md` §5 (evidence status, after AIMSCheck).
public enum EvidenceStatus: String, Codable, Sendable, Comparable {
    case done, planned, denied, vague

    static let plannedPattern = try! NSRegularExpression(pattern:
        #"\b(will|intends? to|intend to|plans? to|planning to|aims? to|going to|propose[sd]? to|expect to|next (year|reporting period)|in the coming (year|months)|future|by 20\d\d|during 20\d\d/\d\d we (will|plan))\b"#,
        options: .caseInsensitive)
    static let deniedPattern = try! NSRegularExpression(pattern:
        #"\b((do|does|did|have|has|had) not (yet |currently )?(provide|provided|conduct|conducted|carry|carried|undertake|undertaken|take|taken|audit|audited|train|trained|have|identify|identified)|not (yet|currently) (been )?(provided|conducted|undertaken|in place)|no (audits?|training|steps|assessments?|due diligence) (has|have|were|was)|has not taken any steps|have not taken any steps|no steps have been taken)\b"#,
        options: .caseInsensitive)
    /// A figure of nothing reports no action: "clauses in 0 of 2 (0%) contracts", "none of our suppliers".
    static let zeroPattern = try! NSRegularExpression(pattern:
        #"(?:\b(?:0|zero|none)\s+(?:of|out of)\s+(?:the\s+|our\s+)?\d*|\(0(?:\.0+)?%\))"#, options: .caseInsensitive)
    static let vaguePattern = try! NSRegularExpression(pattern:
        #"\b(zero[- ]tolerance|(are|is|remain|remains) (fully |strongly )?committed to|we oppose|does not tolerate|do not tolerate|we are against|we condemn)\b"#,
        options: .caseInsensitive)

    // Words each pattern needs, checked first because regular expressions are slow.
    static let deniedHints = ["not ", "no "]
    static let zeroHints = ["0 of", "0 out of", "(0%)", "(0.0%)", "zero of", "none of", "zero out", "none out"]
    static let plannedHints = ["will", "intend", "plan", "aim", "going to", "propose", "expect", "next ", "coming", "future", "by 20", "during 20"]
    static let vagueHints = ["toleran", "committed", "oppose", "against", "condemn"]

    public static func classify(_ sentence: String) -> EvidenceStatus {
        classify(sentence, lowered: sentence.lowercased())
    }

    static func classify(_ sentence: String, lowered: String) -> EvidenceStatus {
        let range = NSRange(sentence.startIndex..., in: sentence)
        func test(_ hints: [String], _ pattern: NSRegularExpression) -> Bool {
            hints.contains { lowered.hasFragment($0) } && pattern.firstMatch(in: sentence, range: range) != nil
        }
        if test(deniedHints, deniedPattern) || test(zeroHints, zeroPattern) { return .denied }
        if test(plannedHints, plannedPattern) { return .planned }
        if test(vagueHints, vaguePattern) { return .vague }
        return .done
    }

    /// Strongest first: done, then planned, then vague, then denied.
    var strength: Int { switch self { case .done: 3; case .planned: 2; case .vague: 1; case .denied: 0 } }
    public static func < (a: EvidenceStatus, b: EvidenceStatus) -> Bool { a.strength < b.strength }
}
