/// Shape tokens: what a sentence looks like and where it sits, beyond its words. Signatures,
/// approvals and the reporting entity cluster at a statement's start and end; structure
/// sentences carry numbers; headings run into the sentence after them; plans use the future.
/// Each token is one hashed feature in the shape block (``FeatureHasher/blocks(_:at:)``).
extension FeatureHasher {
    enum Shape {
        static func bucket(_ name: String) -> Int32 {
            var h = FNV(seed: 5)
            h.add(name.utf8)
            return h.bucket
        }

        /// Tenths of the way through the document.
        static let position = (0..<10).map { bucket("position\($0)") }
        /// Sentences from the start and from the end, up to 5 ("5" meaning 5 or more).
        static let fromStart = (0...5).map { bucket("fromStart\($0)") }
        static let fromEnd = (0...5).map { bucket("fromEnd\($0)") }
        /// Words in fives, up to 40 or more.
        static let length = (0...8).map { bucket("length\($0)") }
        /// Fifths of the words that start with a capital.
        static let capitals = (0...5).map { bucket("capitals\($0)") }
        static let digit = bucket("digit"), year = bucket("year"), percent = bucket("percent"), money = bucket("money")
        static let capitalHeading = bucket("capitalHeading"), colonEnd = bucket("colonEnd"), future = bucket("future")

        static let futureWords: [[UInt8]] = ["will", "intend", "plan", "aim"].map { Array($0.utf8) }
        static let going = Array("going".utf8), to = Array("to".utf8), next = Array("next".utf8), yearWord = Array("year".utf8)

        static func tokens(_ sentence: String, words: Tokenizer.Words) -> [Int32] {
            var out: [Int32] = [length[min(8, words.ranges.count / 5)]]
            var rawWords = 0, capitalised = 0, digitRun = 0, runStart: UInt8 = 0
            var hasDigit = false, hasYear = false, hasPercent = false, hasMoney = false
            var previous: UInt8 = 32
            var bytes = Array(sentence.utf8)
            while let last = bytes.last, last == 32 || last == 9 || last == 10 || last == 13 { bytes.removeLast() }
            for (i, b) in bytes.enumerated() {
                if previous == 32 && b != 32 {
                    rawWords += 1
                    if b >= 0x41 && b <= 0x5A { capitalised += 1 }
                }
                if b >= 0x30 && b <= 0x39 {
                    hasDigit = true
                    if digitRun == 0 { runStart = b }
                    digitRun += 1
                } else {
                    if digitRun == 4 && (runStart == 0x31 || runStart == 0x32) { hasYear = true }
                    digitRun = 0
                }
                if b == 0x25 { hasPercent = true }
                if b == 0x24 || (b == 0xA3 && i > 0 && bytes[i - 1] == 0xC2) || (b == 0xAC && i > 1 && bytes[i - 1] == 0x82 && bytes[i - 2] == 0xE2) { hasMoney = true }
                previous = b
            }
            if digitRun == 4 && (runStart == 0x31 || runStart == 0x32) { hasYear = true }
            out.append(capitals[rawWords == 0 ? 0 : min(5, capitalised * 5 / rawWords)])
            if hasDigit { out.append(digit) }
            if hasYear { out.append(year) }
            if hasPercent { out.append(percent) }
            if hasMoney { out.append(money) }
            if bytes.last == UInt8(ascii: ":") { out.append(colonEnd) }
            // "OUR SUPPLY CHAINS ...": a capital letter, then at least six capitals, spaces, commas, & or -.
            if let first = bytes.first, first >= 0x41 && first <= 0x5A {
                var k = 1
                while k < bytes.count, (bytes[k] >= 0x41 && bytes[k] <= 0x5A) || bytes[k] == 32 || bytes[k] == 44 || bytes[k] == 38 || bytes[k] == 45 { k += 1 }
                if k >= 7 { out.append(capitalHeading) }
            }
            if isFuture(words) { out.append(future) }
            return out
        }

        /// "will", "intend", "plan", "aim", "going to", "next year", or a financial year "FY25".
        static func isFuture(_ words: Tokenizer.Words) -> Bool {
            words.bytes.withUnsafeBufferPointer { bytes in
                let ranges = words.ranges
                for (i, r) in ranges.enumerated() {
                    let word = bytes[r]
                    if futureWords.contains(where: { word.elementsEqual($0) }) { return true }
                    if word.count == 4, word[r.lowerBound] == 0x66, word[r.lowerBound + 1] == 0x79, word[r.lowerBound + 2] == 0x32,
                       word[r.lowerBound + 3] >= 0x30 && word[r.lowerBound + 3] <= 0x39 { return true }
                    if i + 1 < ranges.count {
                        let following = bytes[ranges[i + 1]]
                        if word.elementsEqual(going) && following.elementsEqual(to) { return true }
                        if word.elementsEqual(next) && following.elementsEqual(yearWord) { return true }
                    }
                }
                return false
            }
        }
    }
}
