import Foundation

extension StringProtocol {
    /// The text with its first letter in capitals, for a sentence or a label built from parts
    /// that may start in lower case ("fewer than 5 cases opened" → "Fewer than 5 cases opened").
    public var sentenceCased: String { prefix(1).uppercased() + dropFirst() }
}
