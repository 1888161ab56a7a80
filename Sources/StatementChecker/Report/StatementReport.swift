import Foundation

/// What a statement covers and lacks, criterion by criterion, with the sentences that show it.
public struct StatementReport: Codable, Sendable {
    public enum Verdict: String, Codable, Sendable, CaseIterable {
        /// Shown by at least one sentence reporting action.
        case met
        /// Touched on, but only as a plan, a denial, a vague commitment, or (for approval) in a
        /// form that does not count, such as "considered by the board".
        case notExplicit = "not_explicit"
        case notFound = "not_found"
    }

    public struct Evidence: Codable, Sendable {
        /// Position of the sentence in the document, from 0.
        public let index: Int
        public let sentence: String
        public let score: Double
        public let status: EvidenceStatus
    }

    public struct Finding: Codable, Sendable, Identifiable {
        public let id: String
        public let title: String
        /// "mandatory" or "recommended" under UK s54 (statements.md §6).
        public let requirement: String
        public let verdict: Verdict
        public let confidence: Double
        public let evidence: [Evidence]
        public let note: String?
    }

    public struct Facts: Codable, Sendable {
        public var organisation: String?
        public var periodStart: String?
        public var periodEnd: String?
        public var periodMonths: Int?
        /// The sentence the period was read from.
        public var periodSentence: Int?
        /// Set when no period is stated and it was read from a label such as "2024/25" as a UK
        /// financial year: the label.
        public var periodInferredFrom: String?
        public var statementDate: String?
        public var approvingBody: String?
        public var approvalDate: String?
        public var signatoryName: String?
        public var signatoryRole: String?
        public var actsCited: [String] = []
        public var noStepsTaken = false
    }

    public let source: String
    public let kind: String
    public let sentenceCount: Int
    public let facts: Facts
    /// Approval, signature, period and the six UK areas.
    public let ukCriteria: [Finding]
    /// The 11 AIMS.au labels.
    public let aimsCriteria: [Finding]
    public let warnings: [String]
    public let sentences: [String]
}
