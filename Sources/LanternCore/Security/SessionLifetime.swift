import Foundation

/// When a signed-in session ends.
///
/// Source: `shared/docs/domain/security.md` §5: idle timeout of 30–60 minutes (Lantern uses 30,
/// as the Foundation issue asks) and an absolute lifetime of about 10 hours.
public struct SessionLifetime: Sendable {
    public var idleTimeout: TimeInterval
    public var absoluteLifetime: TimeInterval

    public init(idleTimeout: TimeInterval = 30 * 60, absoluteLifetime: TimeInterval = 10 * 60 * 60) {
        self.idleTimeout = idleTimeout
        self.absoluteLifetime = absoluteLifetime
    }

    public func hasExpired(createdAt: Date, lastSeenAt: Date, now: Date) -> Bool {
        now.timeIntervalSince(lastSeenAt) > idleTimeout
            || now.timeIntervalSince(createdAt) > absoluteLifetime
    }
}
