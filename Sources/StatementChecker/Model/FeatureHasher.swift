import Foundation

/// Turns a sentence, its neighbours and its place in the document into sparse, hashed
/// TF-IDF blocks (see `docs/statement-checker.md`), each L2-normalised on its own and then
/// weighted: word unigrams and bigrams of the sentence; byte 3-5 grams inside its words
/// (robust to PDF damage such as lost apostrophes and split words); the words of the previous
/// sentence, of the next, and of the two beyond them (context, as the best published models
/// use); and the sentence's shape (place in the document, length, capitals, digits, a heading
/// run in, future tense).
public struct FeatureHasher: Sendable {
    public static let bucketBits = 17
    public static let buckets = 1 << bucketBits
    /// Block weights, in ``blocks(_:at:)`` order: words, byte grams, previous sentence, next
    /// sentence, the sentences two away, shape. Chosen by grouped cross-validation.
    public static let blockWeights: [Float] = [1, 1, 0.5, 0.5, 0.3, 0.5]
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
        /// The sentence's words as the sentence after it sees them (previous-sentence block)...
        var asPrevious: [Int32] = []
        /// ...as the sentence before it sees them (next-sentence block)...
        var asNext: [Int32] = []
        /// ...and as the sentences two away see them.
        var asFar: [Int32] = []
        /// Shape tokens: the sentence's own, then its place in the document (``documentTerms(_:)``).
        var shape: [Int32] = []
    }

    /// The same word in another context block: an odd multiplier modulo the bucket count is a
    /// bijection, so words stay apart and each block gets its own weights.
    @inline(__always) static func remap(_ bucket: Int32, _ multiplier: Int32) -> Int32 {
        (bucket &* multiplier &+ 0x2F1D) & Int32(buckets - 1)
    }

    /// One block of a sentence's features: its terms (two lists counted together) and weight.
    struct Block {
        var first: [Int32]
        var second: [Int32] = []
        var weight: Float
    }

    /// The blocks of sentence `i` of a document whose terms came from ``documentTerms(_:)``.
    static func blocks(_ terms: [Terms], at i: Int, weights w: [Float] = blockWeights) -> [Block] {
        let empty: [Int32] = []
        func at(_ k: Int) -> Terms? { k >= 0 && k < terms.count ? terms[k] : nil }
        return [
            Block(first: terms[i].words, weight: w[0]),
            Block(first: terms[i].chars, weight: w[1]),
            Block(first: at(i - 1)?.asPrevious ?? empty, weight: w[2]),
            Block(first: at(i + 1)?.asNext ?? empty, weight: w[3]),
            Block(first: at(i - 2)?.asFar ?? empty, second: at(i + 2)?.asFar ?? empty, weight: w[4]),
            Block(first: terms[i].shape, weight: w[5]),
        ]
    }

    /// Every sentence's terms, with the shape tokens for its place in the document.
    static func documentTerms(_ sentences: [String]) -> [Terms] {
        var terms = sentences.map(Self.terms)
        let last = terms.count - 1
        for i in terms.indices {
            let decile = last > 0 ? min(9, i * 10 / last) : 0
            terms[i].shape += [Shape.position[decile], Shape.fromStart[min(i, 5)], Shape.fromEnd[min(last - i, 5)]]
        }
        return terms
    }

    static func terms(_ sentence: String) -> Terms {
        let tokens = Tokenizer.words(sentence)
        var t = Terms()
        let count = tokens.ranges.count
        t.words.reserveCapacity(count * 2)
        t.asPrevious.reserveCapacity(count)
        tokens.bytes.withUnsafeBufferPointer { bytes in
            for (i, r) in tokens.ranges.enumerated() {
                let word = UnsafeBufferPointer(rebasing: bytes[r])
                var unigram = FNV(seed: 1); unigram.add(word); t.words.append(unigram.bucket)
                var context = FNV(seed: 4); context.add(word)
                t.asPrevious.append(context.bucket)
                t.asNext.append(remap(context.bucket, 40_503))
                t.asFar.append(remap(context.bucket, 97_787))
                if i + 1 < count {
                    var h = FNV(seed: 2)
                    h.add(word); h.add(CollectionOfOne(UInt8(ascii: " "))); h.add(UnsafeBufferPointer(rebasing: bytes[tokens.ranges[i + 1]]))
                    t.words.append(h.bucket)
                }
                // Byte 3-5 grams of " word " (positions 0 and length-1 stand for the padding
                // spaces). FNV is incremental, so each start's 3-gram hash is extended to 4 and 5.
                let length = word.count + 2
                var start = 0
                while start + 3 <= length {
                    var h = FNV(seed: 3)
                    let end = min(start + 5, length)
                    for k in start..<end {
                        let byte: UInt8 = (k == 0 || k == length - 1) ? 32 : word[k - 1]
                        h.hash ^= UInt64(byte); h.hash = h.hash &* 0x100_0000_01b3
                        if k - start >= 2 { t.chars.append(h.bucket) }
                    }
                    start += 1
                }
            }
        }
        t.shape = Shape.tokens(sentence, words: tokens)
        return t
    }

    /// Raw term counts per block, before weighting: (bucket, count) sorted by bucket.
    static func counts(_ blocks: [Block]) -> [[(Int32, Float)]] {
        blocks.map { tally($0.first + $0.second) }
    }

    /// Raw term counts per block for sentence `i` of a document (see ``blocks(_:at:)``).
    static func counts(_ terms: [Terms], at i: Int) -> [[(Int32, Float)]] {
        counts(blocks(terms, at: i))
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

    /// Sublinear TF × IDF, each block scaled to its weight in ``blockWeights``.
    static func vector(_ blocks: [[(Int32, Float)]], idf: [Float], weights blockWeights: [Float] = blockWeights) -> Vector {
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
            let scale = blockWeights[blockIndex] / norm.squareRoot()
            for k in first..<values.count { values[k] *= scale }
        }
        return Vector(indices: indices, values: values)
    }
}
