import Foundation

/// Five-fold cross-validation grouped by statement: F1 per label at sentence and document
/// level, and macro-F1 over all 11 labels and over the 9 shared with UK statements.
public struct Evaluation: Sendable {
    public struct Score: Sendable { public let precision: Double; public let recall: Double; public let f1: Double; public let positives: Int }

    public let sentence: [AIMSLabel: Score]
    public let document: [AIMSLabel: Score]
    public let folds: Int
    public let statements: Int
    public let sentences: Int
    /// The same scores for each set of statements apart ("aims", "corrections"), when there are several.
    public var bySource: [String: Evaluation] = [:]
    /// Each outer fold scored on its own statements: macro-F1 over the 9 labels shared with UK
    /// statements, document level (what the page shows) and sentence level.
    public struct Fold: Sendable { public let statements: Int; public let document: Double; public let sentence: Double }
    public var byFold: [Fold] = []

    public static func crossValidate(_ data: LabelledSentences, folds: Int = 5, seed: UInt64 = 7, configuration: Training.Configuration = .shipped,
                                     tuneThresholds: Bool = true, progress: ((String) -> Void)? = nil) -> Evaluation {
        let statements = data.statements
        let assignment = Training.foldAssignment(statements.map(\.id), folds: folds, seed: seed)
        var predictions = statements.map { [[Bool]](repeating: [], count: $0.sentences.count) }
        for fold in 0..<folds {
            progress?("fold \(fold + 1) of \(folds)")
            let model = Training.train(statements.indices.filter { assignment[$0] != fold }.map { statements[$0] }, tuneThresholds: tuneThresholds,
                                       configuration: configuration)
            for si in statements.indices where assignment[si] == fold {
                predictions[si] = model.predictions(document: statements[si].sentences)
            }
        }
        let scored = Self.scores(statements, predictions)
        let byFold = (0..<folds).map { fold -> Fold in
            let kept = statements.indices.filter { assignment[$0] == fold }
            let (s, d) = Self.scores(kept.map { statements[$0] }, kept.map { predictions[$0] })
            let e = Evaluation(sentence: s, document: d, folds: 1, statements: kept.count, sentences: 0)
            return Fold(statements: kept.count, document: e.macroF1(d, sharedOnly: true), sentence: e.macroF1(s, sharedOnly: true))
        }
        var bySource: [String: Evaluation] = [:]
        let sources = Set(statements.map(\.source))
        if sources.count > 1 {
            for source in sources.sorted() {
                let kept = statements.indices.filter { statements[$0].source == source }
                let (s, d) = Self.scores(kept.map { statements[$0] }, kept.map { predictions[$0] })
                bySource[source] = Evaluation(sentence: s, document: d, folds: folds, statements: kept.count,
                                              sentences: kept.reduce(0) { $0 + statements[$1].sentences.count })
            }
        }
        return Evaluation(sentence: scored.sentence, document: scored.document, folds: folds, statements: statements.count,
                          sentences: data.sentenceCount, bySource: bySource, byFold: byFold)
    }

    /// F1 per label over the statements that know the label, at sentence and document level.
    static func scores(_ statements: [LabelledSentences.Statement], _ predictions: [[[Bool]]]) -> (sentence: [AIMSLabel: Score], document: [AIMSLabel: Score]) {
        var sentence: [AIMSLabel: Score] = [:], document: [AIMSLabel: Score] = [:]
        for label in AIMSLabel.allCases {
            let l = label.rawValue
            let knowing = statements.indices.filter { statements[$0].known[l] }
            sentence[label] = score(gold: knowing.flatMap { statements[$0].labels.map { $0[l] } },
                                    predicted: knowing.flatMap { predictions[$0].map { $0[l] } })
            document[label] = score(gold: knowing.map { statements[$0].labels.contains { $0[l] } },
                                    predicted: knowing.map { predictions[$0].contains { $0[l] } })
        }
        return (sentence, document)
    }

    static func score(gold: [Bool], predicted: [Bool]) -> Score {
        var tp = 0, fp = 0, fn = 0
        for i in gold.indices {
            if predicted[i] && gold[i] { tp += 1 } else if predicted[i] { fp += 1 } else if gold[i] { fn += 1 }
        }
        let p = tp + fp == 0 ? 0 : Double(tp) / Double(tp + fp)
        let r = tp + fn == 0 ? 0 : Double(tp) / Double(tp + fn)
        return Score(precision: p, recall: r, f1: p + r == 0 ? 0 : 2 * p * r / (p + r), positives: tp + fn)
    }

    public func macroF1(_ scores: [AIMSLabel: Score], sharedOnly: Bool) -> Double {
        let labels = AIMSLabel.allCases.filter { !sharedOnly || $0.sharedWithUK }
        return labels.map { scores[$0]!.f1 }.reduce(0, +) / Double(labels.count)
    }

    /// Mean and sample standard deviation.
    static func spread(_ values: [Double]) -> (mean: Double, sd: Double) {
        guard !values.isEmpty else { return (0, 0) }
        let mean = values.reduce(0, +) / Double(values.count)
        let sd = values.count < 2 ? 0 : (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)).squareRoot()
        return (mean, sd)
    }

    /// The table `lantern statement-model evaluate` prints. The headline is document-level F1 per
    /// criterion, which is what a check's page shows (does the statement cover it at all?).
    public var report: String {
        var lines = ["\(folds)-fold cross-validation grouped by statement: \(statements) statements, \(sentences) sentences (AIMS.au gold test set, CC BY 4.0)", ""]
        if !byFold.isEmpty {
            lines.append("Each fold, macro-F1 over the 9 labels shared with UK statements (document level, sentence level):")
            for (i, fold) in byFold.enumerated() {
                lines.append(String(format: "  fold %d (%d statements): document %.3f, sentence %.3f", i + 1, fold.statements, fold.document, fold.sentence))
            }
            let d = Self.spread(byFold.map(\.document)), s = Self.spread(byFold.map(\.sentence))
            lines.append(String(format: "  mean ± sd over folds: document %.3f ± %.3f (range %.3f to %.3f); sentence %.3f ± %.3f (range %.3f to %.3f)",
                                d.mean, d.sd, byFold.map(\.document).min()!, byFold.map(\.document).max()!,
                                s.mean, s.sd, byFold.map(\.sentence).min()!, byFold.map(\.sentence).max()!))
            lines.append("")
        }
        lines.append("label                      sentence P   R    F1  | document P   R    F1  (positives)")
        for label in AIMSLabel.allCases {
            let s = sentence[label]!, d = document[label]!
            lines.append(label.columnName.padding(toLength: 27, withPad: " ", startingAt: 0) + String(format: "%.3f %.3f %.3f | %.3f %.3f %.3f (%d sentences, %d statements)",
                                s.precision, s.recall, s.f1, d.precision, d.recall, d.f1, s.positives, d.positives))
        }
        lines.append("")
        lines.append(String(format: "macro-F1, sentence level: all 11 labels %.3f; 9 labels shared with UK %.3f", macroF1(sentence, sharedOnly: false), macroF1(sentence, sharedOnly: true)))
        lines.append(String(format: "macro-F1, document level: all 11 labels %.3f; 9 labels shared with UK %.3f", macroF1(document, sharedOnly: false), macroF1(document, sharedOnly: true)))
        for (source, evaluation) in bySource.sorted(by: { $0.key < $1.key }) {
            lines.append("")
            lines.append("\(source == "aims" ? "AIMS.au statements" : "The organisation's corrected checks"): \(evaluation.statements) statements, \(evaluation.sentences) sentences (labels without a statement that knows them score 0)")
            lines.append(String(format: "  macro-F1, sentence level: all 11 labels %.3f; 9 shared %.3f. Document level: %.3f; 9 shared %.3f",
                                evaluation.macroF1(evaluation.sentence, sharedOnly: false), evaluation.macroF1(evaluation.sentence, sharedOnly: true),
                                evaluation.macroF1(evaluation.document, sharedOnly: false), evaluation.macroF1(evaluation.document, sharedOnly: true)))
        }
        return lines.joined(separator: "\n")
    }
}
