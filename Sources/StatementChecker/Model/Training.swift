import Foundation

/// Training and grouped cross-validation of the ``SentenceClassifier``.
public enum Training {
    /// The choices a model is trained with: each feature block's weight (words, byte grams,
    /// previous sentence, next sentence, sentences two away, shape) and the regularisation C.
    /// `simplicity` orders them: when two score within the spread, the lower one is preferred.
    public struct Configuration: Sendable, Equatable {
        public let name: String
        public let blockWeights: [Float]
        public let c: Double
        public let simplicity: Int

        /// The settings the bundled model is trained with: the one `lantern statement-model select`
        /// chose by nested cross-validation grouped by statement, in every outer fold and on all
        /// the data (docs/statement-checker.md). It is also the simplest candidate.
        public static let shipped = noNeighbours
        static let noNeighbours = Configuration(name: "no neighbours: words, byte grams, shape; C 1", blockWeights: [1, 1, 0, 0, 0, 0.5], c: 1, simplicity: 0)
        /// The settings of the model shipped before nested selection, chosen on the reported folds.
        static let allSixBlocks = Configuration(name: "all six blocks (sentences two away 0.3), C 4", blockWeights: FeatureHasher.blockWeights, c: 4, simplicity: 3)
        /// The candidates `lantern statement-model select` chooses among, simplest first. The
        /// simplest has no neighbouring sentences; the next is the plain TF-IDF logistic regression
        /// with the neighbours, byte grams and position, at two strengths of regularisation.
        public static let candidates: [Configuration] = [
            noNeighbours,
            Configuration(name: "plain: words, byte grams, next and previous sentence, shape; C 1", blockWeights: [1, 1, 0.5, 0.5, 0, 0.5], c: 1, simplicity: 1),
            Configuration(name: "plain, C 4", blockWeights: [1, 1, 0.5, 0.5, 0, 0.5], c: 4, simplicity: 2),
            allSixBlocks,
        ]
    }

    /// Smoothed IDF over the training sentences; buckets seen in fewer than two sentences get
    /// zero weight (they cannot generalise and only add noise).
    static func idf(for counts: [[[(Int32, Float)]]]) -> [Float] {
        var df = [Int32](repeating: 0, count: FeatureHasher.buckets)
        for blocks in counts {
            var seen = Set<Int32>()
            for block in blocks { seen.formUnion(block.map(\.0)) }
            for b in seen { df[Int(b)] += 1 }
        }
        let n = Float(counts.count)
        return df.map { $0 < 2 ? 0 : logf((1 + n) / (1 + Float($0))) + 1 }
    }

    struct Examples {
        /// Per sentence, the raw term counts of each feature block.
        var counts: [[[(Int32, Float)]]] = []
        var labels: [[Bool]] = []
        /// Per sentence, which labels its statement knows.
        var known: [[Bool]] = []
    }

    static func examples(_ statements: [LabelledSentences.Statement]) -> Examples {
        var e = Examples()
        for s in statements {
            let terms = FeatureHasher.documentTerms(s.sentences)
            e.counts += terms.indices.map { FeatureHasher.counts(terms, at: $0) }
            e.labels += s.labels
            e.known += Array(repeating: s.known, count: s.sentences.count)
        }
        return e
    }

    /// Fits one model; thresholds are left at 0.5 unless `tuneThresholds`, which picks each
    /// label's threshold from 3-fold out-of-fold predictions on the training statements alone.
    public static func train(_ statements: [LabelledSentences.Statement], tuneThresholds: Bool = true,
                             configuration: Configuration = .shipped, progress: ((String) -> Void)? = nil) -> SentenceClassifier {
        let e = examples(statements)
        let idf = idf(for: e.counts)
        let vectors = e.counts.map { FeatureHasher.vector($0, idf: idf, weights: configuration.blockWeights) }
        let labelCount = AIMSLabel.allCases.count
        let fits = FitResults(count: labelCount)
        DispatchQueue.concurrentPerform(iterations: labelCount) { label in
            // Each label learns from the sentences whose statement knows it.
            let rows = e.known.indices.filter { e.known[$0][label] }
            fits.store(label, LogisticRegression(c: configuration.c).fit(rows.map { vectors[$0] }, rows.map { e.labels[$0][label] }, dimension: FeatureHasher.buckets))
        }
        let (weights, bias) = (fits.weights, fits.bias)
        var thresholds = [Float](repeating: 0.5, count: labelCount)
        if tuneThresholds, statements.count >= 6 {
            progress?("choosing thresholds from inner 3-fold predictions")
            let folds = foldAssignment(statements.map(\.id), folds: 3, seed: 11)
            var oof = [[Float]](repeating: [], count: e.labels.count)
            var offsets: [Int] = []
            var running = 0
            for s in statements { offsets.append(running); running += s.sentences.count }
            for fold in 0..<3 {
                let trainSet = statements.indices.filter { folds[$0] != fold }.map { statements[$0] }
                let inner = train(trainSet, tuneThresholds: false, configuration: configuration)
                for si in statements.indices where folds[si] == fold {
                    for (k, p) in inner.probabilities(document: statements[si].sentences).enumerated() {
                        oof[offsets[si] + k] = p
                    }
                }
            }
            for label in 0..<labelCount {
                let rows = e.known.indices.filter { e.known[$0][label] }
                let gold = rows.map { e.labels[$0][label] }
                let scores = rows.map { oof[$0][label] }
                thresholds[label] = stride(from: Float(0.2), through: 0.8, by: 0.05).max { a, b in
                    f1(gold, scores.map { $0 >= a }) < f1(gold, scores.map { $0 >= b })
                } ?? 0.5
            }
        }
        return SentenceClassifier(idf: idf, weights: weights, bias: bias, thresholds: thresholds, blockWeights: configuration.blockWeights)
    }

    /// Statements shuffled with a fixed seed and dealt round-robin into folds, so no statement
    /// is ever split across folds.
    static func foldAssignment(_ ids: [String], folds: Int, seed: UInt64) -> [Int] {
        var generator = SplitMix64(seed: seed)
        let unique = Array(Set(ids)).sorted().shuffled(using: &generator)
        var fold: [String: Int] = [:]
        for (i, id) in unique.enumerated() { fold[id] = i % folds }
        return ids.map { fold[$0]! }
    }

    static func f1(_ gold: [Bool], _ predicted: [Bool]) -> Double {
        Evaluation.score(gold: gold, predicted: predicted).f1
    }
}

/// A small, fixed-seed generator so folds are the same on every machine.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Collects per-label fits made on several threads.
private final class FitResults: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var weights: [[Float]]
    private(set) var bias: [Float]

    init(count: Int) {
        weights = [[Float]](repeating: [], count: count)
        bias = [Float](repeating: 0, count: count)
    }

    func store(_ label: Int, _ fit: (weights: [Float], bias: Float)) {
        lock.lock(); defer { lock.unlock() }
        weights[label] = fit.weights
        bias[label] = fit.bias
    }
}
