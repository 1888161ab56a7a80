import Foundation

/// Turns a sentence and its neighbours into a sparse, hashed TF-IDF vector.
///
/// Three blocks, each L2-normalised on its own (see `docs/statement-checker.md`): word
/// unigrams and bigrams of the sentence; byte 3-5 grams inside words of the sentence (robust
/// to PDF damage such as lost apostrophes and split words); and the words of the previous and
/// next sentences (context, weighted 0.5).
public struct FeatureHasher: Sendable {
    public static let bucketBits = 17
    public static let buckets = 1 << bucketBits
    static let contextWeight: Float = 0.5
    /// 1 + ln(count) for small counts, so the hot path needs no logarithm.
    static let sublinear: [Float] = (0..<64).map { $0 == 0 ? 0 : 1 + logf(Float($0)) }

    public struct Vector: Sendable {
        public var indices: [Int32]
        public var values: [Float]
    }

    /// FNV-1a over UTF-8 bytes, seeded per block so blocks do not collide systematically.
    struct FNV {
        var hash: UInt64
        init(seed: UInt64) { hash = 0xcbf2_9ce4_8422_2325 ^ (seed &* 0x9E37_79B9_7F4A_7C15) }
        mutating func add<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
            for byte in bytes { hash ^= UInt64(byte); hash = hash &* 0x100_0000_01b3 }
        }
        var bucket: Int32 { Int32(truncatingIfNeeded: hash & UInt64(FeatureHasher.buckets - 1)) }
    }

    /// A sentence's hashed terms, computed once and shared with its neighbours.
    public struct Terms: Sendable {
        /// Word unigrams and bigrams.
        var words: [Int32] = []
        /// Byte 3-5 grams inside space-padded words.
        var chars: [Int32] = []
        /// The sentence's words as its neighbours see them (the context block).
        var asContext: [Int32] = []
    }

    static func terms(_ sentence: String) -> Terms {
        let tokens = Tokenizer.words(sentence)
        var t = Terms()
        let count = tokens.ranges.count
        t.words.reserveCapacity(count * 2)
        t.asContext.reserveCapacity(count)
        tokens.bytes.withUnsafeBufferPointer { bytes in
            for (i, r) in tokens.ranges.enumerated() {
                let word = UnsafeBufferPointer(rebasing: bytes[r])
                var unigram = FNV(seed: 1); unigram.add(word); t.words.append(unigram.bucket)
                var context = FNV(seed: 4); context.add(word); t.asContext.append(context.bucket)
                if i + 1 < count {
                    var h = FNV(seed: 2)
                    h.add(word); h.add(CollectionOfOne(UInt8(ascii: " "))); h.add(UnsafeBufferPointer(rebasing: bytes[tokens.ranges[i + 1]]))
                    t.words.append(h.bucket)
                }
                // Byte n-grams of " word ": the first and last positions stand for the padding spaces.
                let length = word.count + 2
                for n in 3...5 where length >= n {
                    for start in 0...(length - n) {
                        var h = FNV(seed: 3)
                        for k in start..<(start + n) {
                            let byte: UInt8 = (k == 0 || k == length - 1) ? 32 : word[k - 1]
                            h.hash ^= UInt64(byte); h.hash = h.hash &* 0x100_0000_01b3
                        }
                        t.chars.append(h.bucket)
                    }
                }
            }
        }
        return t
    }

    /// Raw term counts per block, before weighting: (bucket, count) sorted by bucket.
    static func counts(sentence: String, previous: String, next: String) -> [[(Int32, Float)]] {
        counts(terms(sentence), previous: terms(previous), next: terms(next))
    }

    static func counts(_ t: Terms, previous: Terms, next: Terms) -> [[(Int32, Float)]] {
        [tally(t.words), tally(t.chars), tally(previous.asContext + next.asContext)]
    }

    private static func tally(_ buckets: [Int32]) -> [(Int32, Float)] {
        var out: [(Int32, Float)] = []
        out.reserveCapacity(buckets.count)
        for b in radixSorted(buckets) {
            if let last = out.last, last.0 == b { out[out.count - 1].1 += 1 } else { out.append((b, 1)) }
        }
        return out
    }

    /// Least-significant-digit radix sort of bucket numbers (below 2^18) in two passes of 9
    /// bits: several times faster than a comparison sort for the few hundred terms of a sentence.
    static func radixSorted(_ values: [Int32]) -> [Int32] {
        guard values.count > 32 else { return values.sorted() }
        var source = values
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: values.count) { target in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: 513) { counts in
                source.withUnsafeMutableBufferPointer { src in
                    for shift: Int32 in [0, 9] {
                        counts.initialize(repeating: 0)
                        for v in src { counts[Int((v >> shift) & 511) + 1] += 1 }
                        for i in 1..<513 { counts[i] += counts[i - 1] }
                        for v in src {
                            let digit = Int((v >> shift) & 511)
                            target[counts[digit]] = v
                            counts[digit] += 1
                        }
                        for i in 0..<src.count { src[i] = target[i] }
                    }
                }
            }
        }
        return source
    }

    /// Sublinear TF × IDF, each block scaled to unit length (the context block to 0.5).
    public static func vector(sentence: String, previous: String, next: String, idf: [Float]) -> Vector {
        vector(counts(sentence: sentence, previous: previous, next: next), idf: idf)
    }

    static func vector(_ blocks: [[(Int32, Float)]], idf: [Float]) -> Vector {
        var indices: [Int32] = []
        var values: [Float] = []
        let total = blocks.reduce(0) { $0 + $1.count }
        indices.reserveCapacity(total)
        values.reserveCapacity(total)
        for (blockIndex, block) in blocks.enumerated() {
            // Blocks come sorted, so the sum (and so the model) is the same in every process.
            let first = values.count
            var norm: Float = 0
            for (i, c) in block {
                let v = (c < 64 ? sublinear[Int(c)] : 1 + logf(c)) * idf[Int(i)]
                if v > 0 { indices.append(i); values.append(v); norm += v * v }
            }
            guard norm > 0 else { continue }
            let scale = (blockIndex == 2 ? contextWeight : 1) / norm.squareRoot()
            for k in first..<values.count { values[k] *= scale }
        }
        return Vector(indices: indices, values: values)
    }
}
