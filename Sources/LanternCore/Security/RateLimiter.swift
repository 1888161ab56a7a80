import Foundation

/// Counts events per key in a sliding window, in memory only. Public reporting limits key on
/// the client address here and nowhere else, so no address is ever written down
/// (`shared/docs/domain/security.md` §1: rate limits may key on IP in memory only).
public final class RateLimiter: @unchecked Sendable {
    public let limit: Int
    public let window: TimeInterval
    private var events: [String: [Date]] = [:]
    private let lock = NSLock()

    public init(limit: Int, per window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    /// Records an event for `key` if it is within the limit; false (and nothing recorded) if not.
    public func allow(_ key: String, at now: Date) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let cutoff = now.addingTimeInterval(-window)
        var times = events[key, default: []]
        times.removeAll { $0 <= cutoff }
        guard times.count < limit else {
            events[key] = times
            return false
        }
        times.append(now)
        events[key] = times
        if events.count > 10_000 { events = events.filter { $0.value.contains { $0 > cutoff } } }
        return true
    }

    /// Takes back the latest event recorded for `key` (when a second limit refused the action).
    public func forget(_ key: String) {
        lock.lock()
        defer { lock.unlock() }
        if var times = events[key], !times.isEmpty {
            times.removeLast()
            events[key] = times
        }
    }

    /// Seconds until `key` may try again (0 when it may now).
    public func retryAfter(_ key: String, at now: Date) -> Int {
        lock.lock()
        defer { lock.unlock() }
        guard let times = events[key], times.count >= limit, let oldest = times.first else { return 0 }
        return max(1, Int((oldest.addingTimeInterval(window).timeIntervalSince(now)).rounded(.up)))
    }
}

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

/// Failed attempts per key and the delay each key must wait before its next try, in memory only.
public final class FailureTracker: @unchecked Sendable {
    private let backoff: FailureBackoff
    private var failures: [String: (count: Int, last: Date)] = [:]
    private let lock = NSLock()

    public init(backoff: FailureBackoff = .init()) { self.backoff = backoff }

    public func recordFailure(for key: String, at now: Date) {
        lock.lock()
        defer { lock.unlock() }
        let count = (failures[key]?.count ?? 0) + 1
        failures[key] = (count, now)
        if failures.count > 10_000 { failures = failures.filter { now.timeIntervalSince($0.value.last) < backoff.maximum } }
    }

    public func recordSuccess(for key: String) {
        lock.lock()
        defer { lock.unlock() }
        failures[key] = nil
    }

    /// Whole seconds still to wait (0 when a try is allowed now).
    public func delayRemaining(for key: String, at now: Date) -> Int {
        lock.lock()
        defer { lock.unlock() }
        guard let entry = failures[key] else { return 0 }
        let remaining = backoff.delay(afterFailures: entry.count) - now.timeIntervalSince(entry.last)
        return remaining > 0 ? Int(remaining.rounded(.up)) : 0
    }
}

/// Keys that may be used once until they expire: a solved proof-of-work challenge, so one
/// solution cannot carry a stream of reports.
public final class SpentOnce: @unchecked Sendable {
    private var spent: [String: Date] = [:]
    private let lock = NSLock()

    public init() {}

    /// True the first time `key` is spent; false if it already was and has not expired.
    public func spend(_ key: String, until expires: Date, now: Date) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if spent.count > 10_000 { spent = spent.filter { $0.value > now } }
        if let until = spent[key], until > now { return false }
        spent[key] = expires
        return true
    }
}
