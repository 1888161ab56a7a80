/// Turns a sentence and its neighbours into a sparse, hashed TF-IDF vector.
///
/// Three blocks, each L2-normalised on its own, as in the model's design (see
/// `docs/statement-checker.md`): word unigrams and bigrams of the sentence; character 3-5
/// grams inside words of the sentence (robust to PDF damage such as lost apostrophes and
/// split words); and the words of the previous and next sentences (context, weighted 0.5).
public struct FeatureHasher: Sendable {
    public static let bucketBits = 17
    public static let buckets = 1 << bucketBits
    static let contextWeight: Float = 0.5

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

    static func bucket(_ text: Substring, seed: UInt64) -> Int32 {
        var h = FNV(seed: seed)
        h.add(text.utf8)
        return h.bucket
    }

    /// Raw term counts per block, before weighting: (bucket, count) sorted by bucket.
    static func counts(sentence: String, previous: String, next: String) -> [[(Int32, Float)]] {
        let words = Tokenizer.words(sentence)
        var wordBlock: [Int32] = []
        wordBlock.reserveCapacity(words.count * 2)
        for (i, w) in words.enumerated() {
            wordBlock.append(bucket(w, seed: 1))
            if i + 1 < words.count {
                var h = FNV(seed: 2)
                h.add(w.utf8); h.add(CollectionOfOne(UInt8(ascii: " "))); h.add(words[i + 1].utf8)
                wordBlock.append(h.bucket)
            }
        }
        var charBlock: [Int32] = []
        for w in words {
            // Character 3-5 grams of the word padded with spaces, over its UTF-8 scalars.
            var scalars: [[UInt8]] = [[32]]
            for scalar in w.unicodeScalars { scalars.append(Array(String(scalar).utf8)) }
            scalars.append([32])
            for n in 3...5 where scalars.count >= n {
                for start in 0...(scalars.count - n) {
                    var h = FNV(seed: 3)
                    for k in start..<(start + n) { h.add(scalars[k]) }
                    charBlock.append(h.bucket)
                }
            }
        }
        var contextBlock: [Int32] = []
        for w in Tokenizer.words(previous) { contextBlock.append(bucket(w, seed: 4)) }
        for w in Tokenizer.words(next) { contextBlock.append(bucket(w, seed: 4)) }
        return [tally(wordBlock), tally(charBlock), tally(contextBlock)]
    }

    private static func tally(_ buckets: [Int32]) -> [(Int32, Float)] {
        var out: [(Int32, Float)] = []
        for b in buckets.sorted() {
            if let last = out.last, last.0 == b { out[out.count - 1].1 += 1 } else { out.append((b, 1)) }
        }
        return out
    }

    /// Sublinear TF × IDF, each block scaled to unit length (the context block to 0.5).
    public static func vector(sentence: String, previous: String, next: String, idf: [Float]) -> Vector {
        var indices: [Int32] = []
        var values: [Float] = []
        for (blockIndex, block) in counts(sentence: sentence, previous: previous, next: next).enumerated() {
            // Blocks come sorted, so the sum (and so the model) is the same in every process.
            var entries: [(Int32, Float)] = []
            for (i, c) in block {
                let v = (1 + logf(c)) * idf[Int(i)]
                if v > 0 { entries.append((i, v)) }
            }
            let norm = entries.reduce(Float(0)) { $0 + $1.1 * $1.1 }
            guard norm > 0 else { continue }
            let scale = (blockIndex == 2 ? contextWeight : 1) / norm.squareRoot()
            for (i, v) in entries {
                indices.append(i)
                values.append(v * scale)
            }
        }
        return Vector(indices: indices, values: values)
    }
}

import Foundation
