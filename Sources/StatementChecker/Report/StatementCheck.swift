import Foundation

/// Reads a statement's text and reports, criterion by criterion, what it covers, with the
/// sentences that show it. Pure Swift; no network and no framework.
public struct StatementCheck: Sendable {
    public let classifier: SentenceClassifier
    public static let evidenceShown = 5

    public init(classifier: SentenceClassifier) { self.classifier = classifier }

    public static func bundled() throws -> StatementCheck { StatementCheck(classifier: try .bundled()) }

    /// Probabilities for each sentence of a document, in reading order.
    public func classify(_ sentences: [String]) -> [[Float]] {
        classifier.probabilities(document: sentences)
    }

    /// `now` dates the report and judges whether the statement's period is current; it comes from
    /// the caller's clock.
    public func check(text: String, source: String, kind: String, now: Date) -> StatementReport {
        let sentences = SentenceSplitter.split(text)
        let probabilities = classify(sentences)
        let lowered = sentences.map { $0.lowercased() }
        let statuses = zip(sentences, lowered).map { EvidenceStatus.classify($0, lowered: $1) }
        var facts = FactExtractor.extract(sentences: sentences, lowered: lowered, fullText: text)

        func modelEvidence(_ labels: [AIMSLabel]) -> [StatementReport.Evidence] {
            sentences.indices.compactMap { i in
                let best = labels.map { (Double(probabilities[i][$0.rawValue]), Double(classifier.thresholds[$0.rawValue])) }.max { $0.0 - $0.1 < $1.0 - $1.1 }!
                guard best.0 >= best.1 else { return nil }
                return .init(index: i, sentence: sentences[i], score: best.0, status: statuses[i])
            }
        }
        func ruleEvidence(_ rule: UKRules.Rule) -> [StatementReport.Evidence] {
            ruleEvidence(rule.pattern, hints: rule.hints)
        }
        func ruleEvidence(_ pattern: NSRegularExpression, hints: [String]) -> [StatementReport.Evidence] {
            sentences.indices.compactMap { i in
                let s = sentences[i]
                guard hints.contains(where: { lowered[i].hasFragment($0) }),
                      pattern.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil else { return nil }
                return .init(index: i, sentence: s, score: 1, status: statuses[i])
            }
        }
        func finding(_ id: String, _ title: String, _ requirement: String, _ evidence: [StatementReport.Evidence],
                     note: String? = nil) -> StatementReport.Finding {
            var byIndex: [Int: StatementReport.Evidence] = [:]
            for e in evidence where (byIndex[e.index]?.score ?? -1) < e.score { byIndex[e.index] = e }
            let merged = byIndex.values.sorted { ($0.status, $0.score, -$0.index) > ($1.status, $1.score, -$1.index) }
            let done = merged.filter { $0.status == .done }
            let verdict: StatementReport.Verdict = !done.isEmpty ? .met : (merged.isEmpty ? .notFound : .notExplicit)
            let confidence = done.first?.score ?? merged.first.map { 1 - $0.score / 2 } ?? 0.9
            var note = note
            if verdict == .notExplicit, note == nil {
                let kinds = Set(merged.map(\.status.rawValue)).sorted().joined(separator: ", ")
                note = "Only \(kinds) sentences: plans, denials and commitments are not counted as action."
            }
            return .init(id: id, title: title, requirement: requirement, verdict: verdict,
                         confidence: (confidence * 100).rounded() / 100,
                         evidence: Array(merged.prefix(Self.evidenceShown)).sorted { $0.index < $1.index }, note: note)
        }

        // Approval counts only when the governing body itself approved (statements.md §2).
        let approvalRule = ruleEvidence(UKRules.approval)
        let approvalCounted = approvalRule.filter { !UKRules.matches(UKRules.approvalNotCounted.pattern, $0.sentence) }
        let approvalOther = (approvalRule.filter { UKRules.matches(UKRules.approvalNotCounted.pattern, $0.sentence) } + modelEvidence([.approval]))
            .map { StatementReport.Evidence(index: $0.index, sentence: $0.sentence, score: min($0.score, 0.6), status: .vague) }
        let approval = finding("approval", "Approved by the board or equivalent governing body", "mandatory",
                               approvalCounted + approvalOther.filter { e in !approvalCounted.contains { $0.index == e.index } },
                               note: approvalCounted.isEmpty && !approvalOther.isEmpty
                                   ? "The statement mentions the board, but not in a form that counts as approval (for example 'considered by', 'on behalf of', or a committee)." : nil)

        // A name counts as a signature with a role or signing words in it or just before it.
        var signatureEvidence = modelEvidence([.signature]).filter { e in
            let window = sentences[max(0, e.index - 2)...e.index].joined(separator: " ")
            return UKRules.matches(FactExtractor.nameThenRole, e.sentence) || UKRules.matches(UKRules.signedWording.pattern, window)
        }
        signatureEvidence += ruleEvidence(FactExtractor.labelledName, hints: ["name"])
        signatureEvidence += ruleEvidence(FactExtractor.signedBy, hints: ["signed"])
        if facts.signatoryName == nil {
            for e in signatureEvidence.sorted(by: { $0.index > $1.index }) {
                if let m = FactExtractor.firstMatch(FactExtractor.nameThenRole, in: e.sentence) {
                    facts.signatoryName = m[1]; facts.signatoryRole = m[2]; break
                }
            }
        }
        let signature = finding("signature", "Signed by a director or equivalent", "mandatory", signatureEvidence,
                                note: facts.signatoryRole.map { role in UKRules.isDirectorLevel(role) ? nil : "The signatory's role (\(role)) may not be a director or equivalent." } ?? nil)

        let period = periodFinding(facts: facts, sentences: sentences, statuses: statuses, now: now)

        let uk: [StatementReport.Finding] = [
            approval, signature, period,
            finding("structure", "Organisation structure, business and supply chains", "recommended",
                    modelEvidence([.c2Structure, .c2Operations, .c2SupplyChains])),
            finding("policies", "Policies on slavery and human trafficking", "recommended", ruleEvidence(UKRules.policies)),
            finding("due_diligence", "Due diligence in the business and supply chains", "recommended",
                    modelEvidence([.c4RiskMitigation]).filter { UKRules.matches(UKRules.dueDiligence.pattern, $0.sentence) } + ruleEvidence(UKRules.dueDiligenceExplicit)),
            finding("risk", "Risk assessment and management", "recommended",
                    modelEvidence([.c3RiskDescription]) + ruleEvidence(UKRules.riskManagement)),
            finding("effectiveness", "Effectiveness, measured against key performance indicators", "recommended",
                    modelEvidence([.c5Effectiveness]) + ruleEvidence(UKRules.kpis)),
            finding("training", "Training about slavery and human trafficking", "recommended", ruleEvidence(UKRules.training)),
        ]
        let aims = AIMSLabel.allCases.map { label in
            finding("aims_\(label.rawValue)", "\(label.columnName): \(label.summary)",
                    label.sharedWithUK ? "AIMS (shared with UK)" : "AIMS (Australia only)", modelEvidence([label]))
        }
        var warnings: [String] = []
        if facts.noStepsTaken {
            warnings.append("The statement says no steps were taken (s54(4)(b)). That is a valid statement, but it reports no action.")
        }
        if sentences.count < 8 { warnings.append("Only \(sentences.count) sentences were found: the text may be incomplete.") }
        return StatementReport(source: source, kind: kind, sentenceCount: sentences.count, facts: facts,
                               ukCriteria: uk, aimsCriteria: aims, warnings: warnings, sentences: sentences)
    }

    /// Period covered: stated, 12 to 18 months, and not ended more than 18 months ago
    /// (statements.md §2). A stated period is met, whatever its age, so the row and the facts
    /// above it give one answer; its length and age are notes. A period read only from a label
    /// such as "2024/25" is not explicit.
    func periodFinding(facts: StatementReport.Facts, sentences: [String], statuses: [EvidenceStatus], now: Date) -> StatementReport.Finding {
        guard let end = facts.periodEnd else {
            return .init(id: "period", title: "Period covered", requirement: "mandatory", verdict: .notFound, confidence: 0.7,
                         evidence: [], note: "No reporting period was found: a statement covers one financial year.")
        }
        let index = min(facts.periodSentence ?? sentences.firstIndex { $0.contains(end) } ?? 0, max(sentences.count - 1, 0))
        var notes: [String] = []
        if let label = facts.periodInferredFrom {
            notes.append("No sentence states the period; \"\(label)\" was read as the UK financial year \(facts.periodStart ?? "") to \(end).")
        }
        if let months = facts.periodMonths, months < 12 || months > 18 {
            notes.append("The period is \(months) months; the registry expects 12 to 18.")
        }
        if let endDate = FactExtractor.parseDate(end), let limit = Calendar(identifier: .gregorian).date(byAdding: .month, value: 18, to: endDate), limit < now {
            notes.append("The period ended more than 18 months ago: a newer statement is due.")
        }
        return .init(id: "period", title: "Period covered", requirement: "mandatory", verdict: facts.periodInferredFrom == nil ? .met : .notExplicit,
                     confidence: 0.9, evidence: [.init(index: index, sentence: sentences.isEmpty ? "" : sentences[index], score: 1, status: statuses.isEmpty ? .done : statuses[index])],
                     note: notes.isEmpty ? nil : notes.joined(separator: " "))
    }
}

/// Patterns for the UK criteria the AIMS labels do not carry.
/// Source: `shared/docs/domain/statements.md` §2 (approval, signature) and §6 (checks).
enum UKRules {
    /// A pattern and the lower-case fragments a sentence must contain before it is tried.
    struct Rule: Sendable {
        let pattern: NSRegularExpression
        let hints: [String]
    }

    static func rule(_ p: String, _ hints: [String]) -> Rule {
        Rule(pattern: try! NSRegularExpression(pattern: p, options: .caseInsensitive), hints: hints)
    }
    static func matches(_ pattern: NSRegularExpression, _ s: String) -> Bool {
        pattern.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
    }

    static let approval = rule(#"\b(approved|adopted|endorsed)\s+(by|at)\s+(a\s+meeting\s+of\s+)?(the\s+|its\s+|our\s+)?([\w&’'-]+\s+){0,4}(board|directors|cabinet|council|members|trustees|governing\s+body|partners)\b"#, ["approv", "adopt", "endorse"])
    /// "considered by", "on behalf of the board", "members of the board" as individuals, a committee: not approval.
    static let approvalNotCounted = rule(#"\b(considered|reviewed|presented|put forward|noted|discussed)\s+(by|to|at)\b|\bon behalf of the board\b|\bmembers of the board\b|\b(sub-?committee|committee)\b"#, ["consider", "review", "present", "put forward", "noted", "discuss", "behalf", "members of", "committee"])
    static let signedWording = rule(#"\bsigned\b|/s/|\bsignature\b"#, ["sign", "/s/"])
    static let policies = rule(#"\b(polic(y|ies)|code of (conduct|practice)|whistle-?blowing|standing orders|procurement strategy|ethical (procurement|sourcing) (charter|standards?))\b"#, ["polic", "code of", "whistle", "standing orders", "strategy", "ethical"])
    static let dueDiligence = rule(#"\b(due diligence|audit|questionnaire|assess|screen|monitor|vet|clauses?|declarations?|self-assessment|visits?|inspect)\w*"#, ["due diligence", "audit", "questionnaire", "assess", "screen", "monitor", "vet", "clause", "declaration", "visit", "inspect"])
    static let dueDiligenceExplicit = rule(#"\bdue diligence\b"#, ["due diligence"])
    static let riskManagement = rule(#"\b(risk (assessment|register|based|profile|matrix)s?|high[- ]risk (areas?|sectors?|suppliers?|contracts?|categories))\b"#, ["risk"])
    static let kpis = rule(#"\b(KPIs?|key performance indicators?|performance indicators?|measure(d|s)?\s+(the\s+|our\s+)?effectiveness|effectiveness of (our|the|these|its) (actions|approach|measures|steps))\b"#, ["kpi", "performance", "effective", "measure"])
    static let training = rule(#"\b(train(ing|ed)|e-?learning|awareness (sessions?|raising|course)|workshops?|briefings?)\b"#, ["train", "learning", "awareness", "workshop", "briefing"])

    static func isDirectorLevel(_ role: String) -> Bool {
        role.range(of: #"director|chief executive|ceo|chair|partner|designated member|leader of the council|board"#,
                   options: [.regularExpression, .caseInsensitive]) != nil
    }
}
