import Foundation
import FuzzDriver
import StatementChecker

/// The sentence splitter takes any text, and every sentence it gives has something in it.
@main enum FuzzSentences {
    static func main() {
        FuzzDriver.run { data in
            for sentence in SentenceSplitter.split(String(decoding: data, as: UTF8.self)) {
                precondition(!sentence.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "empty sentence")
            }
        }
    }
}
