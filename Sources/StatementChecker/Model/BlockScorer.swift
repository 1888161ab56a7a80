import Foundation

/// Scores one block of hashed terms against the packed weights in a single pass: counts go
/// into a dense scratch table (only the touched buckets are read back and cleared), each
/// bucket's sublinear TF × IDF multiplies its weights, and the sum is scaled by the block's
/// length at the end. The same arithmetic as ``FeatureHasher/vector(_:idf:)`` followed by a
/// dot product, without sorting terms or building vectors; it is what keeps classification
/// fast enough for whole statements.
struct BlockScorer {
    private var counts: [UInt16]
    private var touched: [Int32] = []

    init(buckets: Int) {
        counts = [UInt16](repeating: 0, count: buckets)
        touched.reserveCapacity(1024)
    }

    /// Σ w[b] · tfidf(b) / ‖tfidf‖ over the block made of `first` and `second` together.
    mutating func score(_ first: [Int32], _ second: [Int32] = [], weights w: UnsafeBufferPointer<SIMD16<Float>>) -> SIMD16<Float> {
        touched.removeAll(keepingCapacity: true)
        var z = SIMD16<Float>.zero
        var norm: Float = 0
        let sublinear = FeatureHasher.sublinear
        counts.withUnsafeMutableBufferPointer { counts in
            func tally(_ part: [Int32]) {
                for b in part {
                    let i = Int(b)
                    if counts[i] == 0 { touched.append(b) }
                    counts[i] &+= 1
                }
            }
            tally(first)
            tally(second)
            for b in touched {
                let i = Int(b)
                let c = Int(counts[i])
                counts[i] = 0
                let weights = w[i]
                let v = (c < 64 ? sublinear[c] : 1 + logf(Float(c))) * weights[SentenceClassifier.idfLane]
                if v > 0 { z += weights * v; norm += v * v }
            }
        }
        return norm > 0 ? z / norm.squareRoot() : .zero
    }
}
