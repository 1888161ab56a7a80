import Foundation
import FuzzDriver
import StatementChecker

/// The whole check (sentences, model scores, rules and the facts: period, approval, signature,
/// dates) runs on any text, and every finding's confidence lies between 0 and 1.
@main enum FuzzFacts {
    static func main() {
        let check = try! StatementCheck.bundled()
        // A fixed instant: fuzzing must not depend on the day it runs.
        let now = Date(timeIntervalSince1970: 1_796_000_000)
        FuzzDriver.run { data in
            let report = check.check(text: String(decoding: data, as: UTF8.self), source: "fuzz", kind: "text", now: now)
            precondition((report.ukCriteria + report.aimsCriteria).allSatisfy { (0...1).contains($0.confidence) }, "confidence outside 0...1")
        }
    }
}
