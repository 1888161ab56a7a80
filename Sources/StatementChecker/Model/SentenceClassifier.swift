import Foundation

/// A linear classifier per AIMS label over hashed TF-IDF features (see ``FeatureHasher``):
/// p(label | sentence, neighbours) = σ(w·x + b), positive when p ≥ the label's threshold.
/// Weights are trained by `lantern statement-model train` on the AIMS.au gold set and shipped
/// as the resource `statement-model.bin`.
public struct SentenceClassifier: Sendable {
    public let idf: [Float]
    public let weights: [[Float]]
    public let bias: [Float]
    public let thresholds: [Float]
    /// Each feature block's weight (``FeatureHasher/blockWeights`` unless the model was trained with others).
    public let blockWeights: [Float]
    /// The weights bucket-major (all labels of one bucket side by side, the bucket's IDF in
    /// the last lane), so scoring a sentence touches one cache line per feature.
    let packed: [SIMD16<Float>]
    static let idfLane = 15

    public init(idf: [Float], weights: [[Float]], bias: [Float], thresholds: [Float], blockWeights: [Float] = FeatureHasher.blockWeights) {
        self.idf = idf
        self.blockWeights = blockWeights
        self.weights = weights
        self.bias = bias
        self.thresholds = thresholds
        precondition(weights.count < Self.idfLane)
        var packed = [SIMD16<Float>](repeating: .zero, count: idf.count)
        for l in weights.indices { for b in 0..<idf.count { packed[b][l] = weights[l][b] } }
        for b in 0..<idf.count { packed[b][Self.idfLane] = idf[b] }
        self.packed = packed
    }

    /// One sentence to classify on its own, with the sentences around it when they are known.
    public struct Input: Sendable {
        public var sentence: String
        public var previous: String
        public var next: String
        public init(sentence: String, previous: String = "", next: String = "") {
            self.sentence = sentence
            self.previous = previous
            self.next = next
        }
    }

    /// The input's feature vector, the sentence taken as the middle of a three-sentence document.
    public func vector(_ input: Input) -> FeatureHasher.Vector {
        let document = [input.previous, input.sentence, input.next]
        return FeatureHasher.vector(FeatureHasher.counts(FeatureHasher.documentTerms(document), at: 1), idf: idf, weights: blockWeights)
    }

    /// Probability for each label, in ``AIMSLabel`` order.
    public func probabilities(_ vector: FeatureHasher.Vector) -> [Float] {
        var z = SIMD16<Float>.zero
        packed.withUnsafeBufferPointer { w in
            vector.indices.withUnsafeBufferPointer { idx in
                vector.values.withUnsafeBufferPointer { val in
                    for k in 0..<idx.count { z += w[Int(idx[k])] * val[k] }
                }
            }
        }
        return bias.indices.map { 1 / (1 + expf(-(z[$0] + bias[$0]))) }
    }

    /// Probabilities for a whole document in reading order; each sentence is tokenised once
    /// and its terms reused as its neighbours' context. Scores straight from the hashed terms
    /// (see ``BlockScorer``) without building the sparse vectors training needs.
    public func probabilities(document sentences: [String]) -> [[Float]] {
        let terms = FeatureHasher.documentTerms(sentences)
        var scorer = BlockScorer(buckets: idf.count)
        return packed.withUnsafeBufferPointer { w in
            terms.indices.map { i in
                var z = SIMD16<Float>.zero
                for block in FeatureHasher.blocks(terms, at: i, weights: blockWeights) where block.weight != 0 {
                    z += scorer.score(block.first, block.second, weights: w) * block.weight
                }
                return bias.indices.map { 1 / (1 + expf(-(z[$0] + bias[$0]))) }
            }
        }
    }

    public func probabilities(_ input: Input) -> [Float] { probabilities(vector(input)) }

    public func predict(_ input: Input) -> [Bool] {
        zip(probabilities(input), thresholds).map { $0 >= $1 }
    }

    /// Positive labels for each sentence of a document, neighbours taken from the document.
    public func predictions(document sentences: [String]) -> [[Bool]] {
        probabilities(document: sentences).map { zip($0, thresholds).map { $0 >= $1 } }
    }

    // MARK: Storage

    static let magic = Array("LNTNSC01".utf8)
    /// A model trained with other block weights than ``FeatureHasher/blockWeights`` (the bundled
    /// model among them, since nested selection chose no neighbouring sentences), which it
    /// carries at the end.
    static let magicWithBlockWeights = Array("LNTNSC02".utf8)

    public enum LoadProblem: Error, CustomStringConvertible {
        case missingResource, corrupt(String)
        public var description: String {
            switch self {
            case .missingResource: "the statement model resource is missing from the build"
            case .corrupt(let why): "the statement model file is damaged: \(why)"
            }
        }
    }

    /// Little-endian: magic, bucket count, label count, idf (Float16 × buckets), then per label
    /// bias and threshold (Float32) and weights (Float16 × buckets).
    public func serialized() -> Data {
        let defaultWeights = blockWeights == FeatureHasher.blockWeights
        var data = Data(defaultWeights ? Self.magic : Self.magicWithBlockWeights)
        func u32(_ v: Int) { var x = UInt32(v).littleEndian; withUnsafeBytes(of: &x) { data.append(contentsOf: $0) } }
        func f32(_ v: Float) { var x = v.bitPattern.littleEndian; withUnsafeBytes(of: &x) { data.append(contentsOf: $0) } }
        func f16s(_ values: [Float]) {
            var out = [UInt8](); out.reserveCapacity(values.count * 2)
            for v in values { let b = Float16(v).bitPattern; out.append(UInt8(b & 0xff)); out.append(UInt8(b >> 8)) }
            data.append(contentsOf: out)
        }
        u32(idf.count); u32(weights.count)
        f16s(idf)
        for l in weights.indices { f32(bias[l]); f32(thresholds[l]); f16s(weights[l]) }
        if !defaultWeights { u32(blockWeights.count); for w in blockWeights { f32(w) } }
        return data
    }

    public init(serialized data: Data) throws {
        let bytes = [UInt8](data)
        guard bytes.count > 16, [Self.magic, Self.magicWithBlockWeights].contains(Array(bytes[0..<8])) else { throw LoadProblem.corrupt("wrong header") }
        let withBlockWeights = Array(bytes[0..<8]) == Self.magicWithBlockWeights
        var offset = 8
        func u32() -> Int {
            let v = UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
            offset += 4
            return Int(v)
        }
        func f32() -> Float { Float(bitPattern: UInt32(u32())) }
        func f16s(_ n: Int) -> [Float] {
            var out = [Float](repeating: 0, count: n)
            for i in 0..<n { out[i] = Float(Float16(bitPattern: UInt16(bytes[offset + 2 * i]) | UInt16(bytes[offset + 2 * i + 1]) << 8)) }
            offset += 2 * n
            return out
        }
        let buckets = u32(), labels = u32()
        let blockCount = FeatureHasher.blockWeights.count
        guard buckets == FeatureHasher.buckets, labels == AIMSLabel.allCases.count,
              bytes.count == 16 + 2 * buckets + labels * (8 + 2 * buckets) + (withBlockWeights ? 4 + 4 * blockCount : 0)
        else { throw LoadProblem.corrupt("unexpected size") }
        let idf = f16s(buckets)
        var w: [[Float]] = [], b: [Float] = [], t: [Float] = []
        for _ in 0..<labels { b.append(f32()); t.append(f32()); w.append(f16s(buckets)) }
        var blockWeights = FeatureHasher.blockWeights
        if withBlockWeights {
            guard u32() == blockCount else { throw LoadProblem.corrupt("unexpected block count") }
            blockWeights = (0..<blockCount).map { _ in f32() }
        }
        self.init(idf: idf, weights: w, bias: b, thresholds: t, blockWeights: blockWeights)
    }

    /// The model shipped with Lantern.
    public static func bundled() throws -> SentenceClassifier {
        guard let url = Bundle.module.url(forResource: "statement-model", withExtension: "bin"),
              let data = try? Data(contentsOf: url) else { throw LoadProblem.missingResource }
        return try SentenceClassifier(serialized: data)
    }
}
