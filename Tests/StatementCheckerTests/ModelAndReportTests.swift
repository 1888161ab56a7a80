import Foundation
import Testing
@testable import StatementChecker

@Suite("Model")
struct ModelTests {
    @Test func theBundledModelLoadsAndRoundTrips() throws {
        let model = try SentenceClassifier.bundled()
        #expect(model.weights.count == 11 && model.idf.count == FeatureHasher.buckets)
        let again = try SentenceClassifier(serialized: model.serialized())
        let input = SentenceClassifier.Input(sentence: "We audit our suppliers for forced labour")
        #expect(again.probabilities(input) == model.probabilities(input))
        #expect(throws: (any Error).self) { try SentenceClassifier(serialized: Data("garbage".utf8)) }
    }

    @Test func documentScoringMatchesTheSparseVectors() throws {
        // The fast document path and the vectors training uses must give the same scores.
        let model = try SentenceClassifier.bundled()
        let url = Fixtures.shared.appendingPathComponent("data/aims-au/test.csv")
        let statement = try LabelledSentences(csv: try Data(contentsOf: url)).statements[0]
        let fast = model.probabilities(document: statement.sentences)
        let terms = FeatureHasher.documentTerms(statement.sentences)
        for (i, scores) in fast.enumerated() {
            let vector = FeatureHasher.vector(FeatureHasher.counts(terms, at: i), idf: model.idf, weights: model.blockWeights)
            for (a, b) in zip(model.probabilities(vector), scores) { #expect(abs(a - b) < 1e-4) }
        }
    }

    @Test func foldsNeverSplitAStatement() {
        let ids = (0..<200).map { "s\($0 % 23)" }
        let folds = Training.foldAssignment(ids, folds: 5, seed: 7)
        for (id, fold) in zip(ids, folds) { #expect(folds[ids.firstIndex(of: id)!] == fold) }
        #expect(Set(folds).count == 5)
        #expect(Training.foldAssignment(ids, folds: 5, seed: 7) == folds, "deterministic")
    }

    @Test func trainingLearnsASeparableToyTask() {
        let approve = (0..<20).map { "Statement \($0) was approved by the board of directors" }
        let other = (0..<20).map { "Our warehouse number \($0) ships furniture" }
        let statements = (0..<8).map { k in
            LabelledSentences.Statement(id: "d\(k)", sentences: [approve[k], other[k], approve[k + 8], other[k + 8]],
                                        labels: [true, false, true, false].map { l in AIMSLabel.allCases.map { $0 == .approval && l } })
        }
        let model = Training.train(statements, tuneThresholds: false)
        #expect(model.predict(.init(sentence: "This was approved by the board of directors"))[0])
        #expect(!model.predict(.init(sentence: "Our warehouse ships furniture"))[0])
    }

    @Test func aModelWithOtherBlockWeightsCarriesThemAndTheDefaultOnesKeepTheFirstFormat() throws {
        let approve = (0..<20).map { "Statement \($0) was approved by the board of directors" }
        let other = (0..<20).map { "Our warehouse number \($0) ships furniture" }
        let statements = (0..<8).map { k in
            LabelledSentences.Statement(id: "d\(k)", sentences: [approve[k], other[k], approve[k + 8], other[k + 8]],
                                        labels: [true, false, true, false].map { l in AIMSLabel.allCases.map { $0 == .approval && l } })
        }
        let plain = Training.Configuration.shipped
        let model = Training.train(statements, tuneThresholds: false, configuration: plain)
        #expect(model.blockWeights == plain.blockWeights)
        let data = model.serialized()
        #expect(Array(data.prefix(8)) == Array("LNTNSC02".utf8))
        let again = try SentenceClassifier(serialized: data)
        #expect(again.blockWeights == plain.blockWeights)
        let input = SentenceClassifier.Input(sentence: "This was approved by the board of directors")
        // Weights are stored as Float16: the same scores to within that precision.
        for (a, b) in zip(again.probabilities(input), model.probabilities(input)) { #expect(abs(a - b) < 1e-3) }
        for (x, y) in zip(again.probabilities(document: approve), model.probabilities(document: approve)) {
            for (a, b) in zip(x, y) { #expect(abs(a - b) < 1e-3) }
        }
        let sixBlocks = Training.train(statements, tuneThresholds: false, configuration: Training.Configuration.candidates.last!)
        #expect(sixBlocks.blockWeights == FeatureHasher.blockWeights)
        #expect(Array(sixBlocks.serialized().prefix(8)) == Array("LNTNSC01".utf8), "the default six-block weights keep the first format")
    }

    @Test func theSimplestSettingsWithinTheSpreadAreChosen() {
        let c = Training.Configuration.candidates
        func candidate(_ k: Int, _ mean: Double, _ sd: Double) -> ModelSelection.Candidate { .init(configuration: c[k], mean: mean, sd: sd) }
        #expect(ModelSelection.pick([candidate(0, 0.90, 0.02), candidate(3, 0.91, 0.02)]) == c[0], "within one sd of the best: the simpler")
        #expect(ModelSelection.pick([candidate(0, 0.85, 0.02), candidate(3, 0.91, 0.02)]) == c[3], "beyond it: the best")
        #expect(ModelSelection.pick([candidate(1, 0.89, 0.01), candidate(2, 0.90, 0.03), candidate(3, 0.88, 0.01)]) == c[1])
    }

    @Test func labelledDataLoadsFromTheSharedSet() throws {
        let url = Fixtures.shared.appendingPathComponent("data/aims-au/test.csv")
        let data = try LabelledSentences(csv: try Data(contentsOf: url))
        #expect(data.statements.count == 50)
        #expect(data.sentenceCount == 4794)
    }
}

@Suite("Statement report")
struct ReportTests {
    let checker = try! StatementCheck.bundled()
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func evidenceStatusSeparatesActionFromPlansDenialsAndCommitments() {
        #expect(EvidenceStatus.classify("We audited 40 suppliers in 2024") == .done)
        #expect(EvidenceStatus.classify("We intend to audit our suppliers") == .planned)
        #expect(EvidenceStatus.classify("Next year we will introduce training") == .planned)
        #expect(EvidenceStatus.classify("We do not currently provide training") == .denied)
        #expect(EvidenceStatus.classify("We have a zero tolerance approach to slavery") == .vague)
        // A figure of nothing is not action; a figure of something is.
        #expect(EvidenceStatus.classify("Our contract terms include modern slavery clauses in 0 of 2 (0%) high-risk contracts.") == .denied)
        #expect(EvidenceStatus.classify("None of our suppliers were audited for modern slavery risk.") == .denied)
        #expect(EvidenceStatus.classify("We reviewed 10 of 12 (83%) high-risk contracts.") == .done)
        #expect(EvidenceStatus.classify("Clauses are in 100% of contracts (100%).") == .done)
    }

    @Test func aLabelAStatementDoesNotKnowIsLeftOutOfItsScore() {
        let labels = AIMSLabel.allCases.count
        let gold = LabelledSentences.Statement(id: "a", sentences: ["x", "y"], labels: [[Bool](repeating: true, count: labels), [Bool](repeating: false, count: labels)])
        let partial = LabelledSentences.Statement(id: "b", sentences: ["z"], labels: [[Bool](repeating: false, count: labels)],
                                                  known: AIMSLabel.allCases.map { $0 == .approval }, source: "corrections")
        let right = [[Bool](repeating: true, count: labels), [Bool](repeating: false, count: labels)]
        // The partial statement is predicted wrong on every label: only approval, which it knows, may count.
        let scores = Evaluation.scores([gold, partial], [right, [[Bool](repeating: true, count: labels)]])
        #expect(scores.sentence[.signature]!.f1 == 1, "signature is not known in the partial statement")
        #expect(scores.sentence[.approval]!.f1 < 1, "approval is, and was predicted wrong")
    }

    @Test func aZeroFigureIsNotEvidenceOfRiskManagement() {
        let text = "Modern slavery statement of Acme Widgets Limited. Our contract terms include modern slavery clauses in 0 of 2 (0%) high-risk contracts. We reviewed 0 of 2 (0%) high-risk contracts in the last 12 months."
        let risk = checker.check(text: text, source: "z", kind: "text", now: now).ukCriteria.first { $0.id == "risk" }!
        #expect(risk.verdict != .met, "\(risk.evidence.map(\.sentence))")
        #expect(risk.evidence.allSatisfy { $0.status == .denied })
    }

    @Test func aStatedPeriodComesFirstAndTheReportSaysWhereItCameFrom() {
        let stated = checker.check(text: "Modern Slavery Statement 2024/25. This statement covers the period 1 January 2024 to 31 December 2024 for Acme Widgets Limited.",
                                   source: "s", kind: "text", now: now)
        #expect(stated.facts.periodStart == "1 January 2024" && stated.facts.periodEnd == "31 December 2024" && stated.facts.periodInferredFrom == nil)
        #expect(StatementReport.periodSource(stated.facts, sentences: stated.sentences).contains("stated: \u{201C}This statement covers the period"))
        #expect(stated.ukCriteria.first { $0.id == "period" }?.verdict == .met)
        let labelled = checker.check(text: "Modern Slavery Statement 2024/25. Acme Widgets Limited makes widgets.", source: "l", kind: "text", now: now)
        #expect(labelled.facts.periodStart == "1 April 2024" && labelled.facts.periodInferredFrom == "2024/25")
        let row = labelled.ukCriteria.first { $0.id == "period" }!
        #expect(row.verdict == .notExplicit && row.note?.contains("No sentence states the period") == true)
        #expect(labelled.text.contains("read from \"2024/25\" as a UK financial year"))
    }

    @Test func plansAndDenialsDoNotCountAsTraining() {
        let text = "Modern slavery statement. We do not currently provide training on slavery. We will introduce training next year."
        let training = checker.check(text: text, source: "t", kind: "text", now: now).ukCriteria.first { $0.id == "training" }!
        #expect(training.verdict == .notExplicit)
        #expect(Set(training.evidence.map(\.status)) == [.denied, .planned])
    }

    @Test func approvalMustBeByTheGoverningBodyItself() {
        let approved = checker.check(text: "Modern slavery statement. This statement was approved by the Board of Directors on 12 May 2025.", source: "a", kind: "text", now: now)
        #expect(approved.ukCriteria[0].verdict == .met)
        #expect(approved.facts.approvingBody?.lowercased().contains("board") == true)
        #expect(approved.facts.approvalDate == "12 May 2025")
        let considered = checker.check(text: "Modern slavery statement. This statement was considered by the Board and approved by the Audit Committee.", source: "b", kind: "text", now: now)
        #expect(considered.ukCriteria[0].verdict != .met)
    }

    @Test func theCouncilSeedIsReadFully() throws {
        let doc = try DocumentReader().read(try Fixtures.seed("001"))
        let report = checker.check(text: doc.text, source: "001", kind: doc.kind.rawValue, now: now)
        let f = report.facts
        #expect(f.organisation == "Leicestershire County Council")
        #expect(f.periodStart == "1st April 2018" && f.periodEnd == "31st March 2019" && f.periodMonths == 12)
        #expect(f.approvingBody == "Cabinet")
        #expect(f.signatoryName == "Nicholas Rushton")
        #expect(f.actsCited.contains("Modern Slavery Act 2015 (UK)"))
        let verdicts = Dictionary(uniqueKeysWithValues: report.ukCriteria.map { ($0.id, $0.verdict) })
        #expect(verdicts["approval"] == .met)
        // The period is stated, as the facts above the row say; that it is long past is the row's note.
        #expect(verdicts["period"] == .met)
        #expect(report.ukCriteria.first { $0.id == "period" }?.note?.contains("a newer statement is due") == true)
        for area in ["structure", "policies", "due_diligence", "risk", "effectiveness", "training"] {
            #expect(verdicts[area] == .met, "\(area)")
        }
        #expect(report.aimsCriteria.count == 11)
        for finding in report.ukCriteria + report.aimsCriteria {
            for e in finding.evidence { #expect(report.sentences[e.index] == e.sentence) }
        }
    }

    @Test func noStepsStatementsAreReportedProminently() {
        let report = checker.check(text: "Modern slavery statement. The company has not taken any steps to ensure slavery is not taking place.", source: "x", kind: "text", now: now)
        #expect(report.facts.noStepsTaken)
        #expect(report.warnings.contains { $0.contains("no steps") })
    }
}
