import Foundation

/// How many failed sign-ins are tolerated before an address is made to wait.
///
/// Source: `shared/docs/domain/security.md` §1 and §5: throttle repeated failures with a
/// growing delay, never lock a person out for good. The same answer is given whether or
/// not the address belongs to anyone, so the throttle reveals nothing.
public struct SignInThrottle: Sendable {
    public var freeAttempts: Int
    public var window: TimeInterval
    public var maximumDelay: TimeInterval

    public init(freeAttempts: Int = 5, window: TimeInterval = 15 * 60, maximumDelay: TimeInterval = 15 * 60) {
        self.freeAttempts = freeAttempts
        self.window = window
        self.maximumDelay = maximumDelay
    }

    /// The failures that still count at `now`.
    public func windowStart(now: Date) -> Date { now.addingTimeInterval(-window) }

    /// When the next attempt may be made, given the failures inside the window
    /// (oldest first), or nil if one may be made now. The wait doubles with each failure
    /// past the free ones: 30 s, 60 s, 2 min … up to `maximumDelay`.
    public func nextAllowedAttempt(failures: [Date], now: Date) -> Date? {
        let recent = failures.filter { $0 > windowStart(now: now) }.sorted()
        guard recent.count >= freeAttempts, let last = recent.last else { return nil }
        let excess = recent.count - freeAttempts
        let delay = min(maximumDelay, 30 * pow(2, Double(min(excess, 20))))
        let allowed = last.addingTimeInterval(delay)
        return allowed > now ? allowed : nil
    }
}
