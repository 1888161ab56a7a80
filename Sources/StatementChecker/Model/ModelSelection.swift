import Foundation

/// Nested cross-validation grouped by statement: the model's settings are chosen inside each
/// outer training fold, by an inner grouped cross-validation that never sees the outer fold,
/// and only the outer folds are reported. A figure from the folds the settings were chosen on
/// would flatter the model.
///
/// The choice: the candidate with the best mean inner document-level macro-F1 over the 9 labels
/// shared with UK statements (what a check's page shows), unless a simpler candidate scores
/// within one standard deviation of it over the inner folds, in which case the simplest such.
/// Inner folds score at the default 0.5 thresholds, to keep the search affordable; each chosen
/// model is then trained with its thresholds tuned on its training fold alone, as shipped.
public struct ModelSelection: Sendable {
    public struct Candidate: Sendable {
        public let configuration: Training.Configuration
        public let mean: Double
        public let sd: Double
    }

    public struct OuterFold: Sendable {
        public let statements: Int
        public let candidates: [Candidate]
        public let chosen: Training.Configuration
        public let document: Double
        public let sentence: Double
    }

    public let folds: [OuterFold]
    /// Document- and sentence-level scores over every outer fold's predictions together.
    public let pooled: Evaluation
    /// The choice made on all the data: the settings a model trained on everything should use.
    public let final: (chosen: Training.Configuration, candidates: [Candidate])

    static func choose(_ statements: [LabelledSentences.Statement], candidates: [Training.Configuration], innerFolds: Int,
                       seed: UInt64) -> (Training.Configuration, [Candidate]) {
        let data = LabelledSentences(statements: statements)
        let scored = candidates.map { c -> Candidate in
            let e = Evaluation.crossValidate(data, folds: innerFolds, seed: seed, configuration: c, tuneThresholds: false)
            let s = Evaluation.spread(e.byFold.map(\.document))
            return Candidate(configuration: c, mean: s.mean, sd: s.sd)
        }
        return (pick(scored), scored)
    }

    /// The best mean, or the simplest candidate within one standard deviation of it.
    static func pick(_ scored: [Candidate]) -> Training.Configuration {
        let best = scored.max { $0.mean < $1.mean }!
        return scored.filter { $0.mean >= best.mean - best.sd }.min { $0.configuration.simplicity < $1.configuration.simplicity }!.configuration
    }

    public static func nested(_ data: LabelledSentences, candidates: [Training.Configuration] = Training.Configuration.candidates,
                              outerFolds: Int = 5, innerFolds: Int = 3, seed: UInt64 = 7,
                              progress: ((String) -> Void)? = nil) -> ModelSelection {
        let statements = data.statements
        let assignment = Training.foldAssignment(statements.map(\.id), folds: outerFolds, seed: seed)
        var predictions = statements.map { [[Bool]](repeating: [], count: $0.sentences.count) }
        var folds: [OuterFold] = []
        for fold in 0..<outerFolds {
            let training = statements.indices.filter { assignment[$0] != fold }.map { statements[$0] }
            progress?("outer fold \(fold + 1) of \(outerFolds): choosing among \(candidates.count) settings on its \(training.count) training statements")
            let (chosen, scored) = choose(training, candidates: candidates, innerFolds: innerFolds, seed: seed &+ UInt64(fold) &+ 1)
            let model = Training.train(training, configuration: chosen)
            let held = statements.indices.filter { assignment[$0] == fold }
            for si in held { predictions[si] = model.predictions(document: statements[si].sentences) }
            let (s, d) = Evaluation.scores(held.map { statements[$0] }, held.map { predictions[$0] })
            let e = Evaluation(sentence: s, document: d, folds: 1, statements: held.count, sentences: 0)
            folds.append(OuterFold(statements: held.count, candidates: scored, chosen: chosen,
                                   document: e.macroF1(d, sharedOnly: true), sentence: e.macroF1(s, sharedOnly: true)))
        }
        let (s, d) = Evaluation.scores(statements, predictions)
        let pooled = Evaluation(sentence: s, document: d, folds: outerFolds, statements: statements.count, sentences: data.sentenceCount)
        progress?("choosing the settings on all \(statements.count) statements")
        let final = choose(statements, candidates: candidates, innerFolds: innerFolds, seed: seed)
        return ModelSelection(folds: folds, pooled: pooled, final: final)
    }

    /// What `lantern statement-model select` prints.
    public var report: String {
        var lines = ["Nested cross-validation grouped by statement: \(folds.count) outer folds, settings chosen in each by inner folds on its training statements only.", ""]
        for (i, f) in folds.enumerated() {
            lines.append(String(format: "outer fold %d (%d statements): document %.3f, sentence %.3f; chose \"%@\"", i + 1, f.statements, f.document, f.sentence, f.chosen.name))
            for c in f.candidates { lines.append(String(format: "    inner document %.3f ± %.3f  %@", c.mean, c.sd, c.configuration.name)) }
        }
        let d = Evaluation.spread(folds.map(\.document)), s = Evaluation.spread(folds.map(\.sentence))
        lines.append("")
        lines.append(String(format: "Outer folds, macro-F1 over the 9 shared labels: document %.3f ± %.3f (range %.3f to %.3f); sentence %.3f ± %.3f (range %.3f to %.3f)",
                            d.mean, d.sd, folds.map(\.document).min() ?? 0, folds.map(\.document).max() ?? 0,
                            s.mean, s.sd, folds.map(\.sentence).min() ?? 0, folds.map(\.sentence).max() ?? 0))
        lines.append("")
        lines.append("Document-level F1 per criterion, every outer fold's predictions together (sentence-level beside it):")
        for label in AIMSLabel.allCases {
            lines.append(String(format: "  %@ document %.3f, sentence %.3f", label.columnName.padding(toLength: 27, withPad: " ", startingAt: 0),
                                pooled.document[label]!.f1, pooled.sentence[label]!.f1))
        }
        lines.append("")
        lines.append("Chosen on all the data, for a model trained on everything: \"\(final.chosen.name)\"")
        for c in final.candidates { lines.append(String(format: "    inner document %.3f ± %.3f  %@", c.mean, c.sd, c.configuration.name)) }
        return lines.joined(separator: "\n")
    }
}
