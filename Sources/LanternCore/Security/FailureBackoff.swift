import Foundation

/// Growing delays after failed receipt-code logins, so guessing is slow but a reporter is never
/// locked out for good (GlobaLeaks doubles up to 42 s; `security.md` §1).
public struct FailureBackoff: Sendable {
    public var base: TimeInterval = 1
    public var maximum: TimeInterval = 42

    public init(base: TimeInterval = 1, maximum: TimeInterval = 42) {
        self.base = base
        self.maximum = maximum
    }

    public func delay(afterFailures failures: Int) -> TimeInterval {
        guard failures > 0 else { return 0 }
        return min(maximum, base * pow(2, Double(min(failures - 1, 16))))
    }
}
