import Foundation
import LanternCore
import Vapor

/// Lantern's per-application services, reachable from `app.lantern` and `req.lantern`.
/// Tests replace the clock to move time.
public final class LanternServices: Sendable {
    public let configuration: LanternConfiguration
    public let cipher: FieldCipher
    /// The clock is held in a struct: a bare function value kept in a generic box gains a pair of
    /// reabstraction thunks at every locked read-and-write-back, so `now()` slowed with uptime.
    private struct Clock: Sendable { let read: @Sendable () -> Date }
    private let clock: NIOLockedValueBox<Clock>
    let audit: AuditLog
    let publicLimits: PublicLimiters
    /// The day the retention purge last ran while serving.
    let lastPurge = NIOLockedValueBox<Day?>(nil)

    init(configuration: LanternConfiguration) {
        self.configuration = configuration
        self.cipher = FieldCipher(master: configuration.dataProtectionKey, previous: configuration.previousDataProtectionKeys)
        self.clock = .init(Clock(read: { Date() }))
        self.audit = AuditLog()
        self.publicLimits = PublicLimiters(configuration.publicReporting)
    }

    public func now() -> Date { clock.withLockedValue { $0 }.read() }

    /// Replaces the clock (tests only need this).
    public func setClock(_ clock: @escaping @Sendable () -> Date) {
        self.clock.withLockedValue { $0 = Clock(read: clock) }
    }
}

extension Application {
    private struct ServicesKey: StorageKey { typealias Value = LanternServices }

    public var lantern: LanternServices {
        get {
            guard let services = storage[ServicesKey.self] else {
                fatalError("configure(_:_:) has not been called on this application")
            }
            return services
        }
        set { storage[ServicesKey.self] = newValue }
    }
}

extension Request {
    public var lantern: LanternServices { application.lantern }
}

/// The in-memory counters behind the public reporting limits. Nothing here is written down.
struct PublicLimiters: Sendable {
    let reportsOverall: RateLimiter
    let reportsPerAddress: RateLimiter
    let attachmentsPerReport: RateLimiter
    let messagesPerReport: RateLimiter
    let codeFailures = FailureTracker()

    init(_ limits: PublicReportingLimits) {
        reportsOverall = RateLimiter(limit: limits.reportsPerHour, per: 3600)
        reportsPerAddress = RateLimiter(limit: limits.reportsPerAddressPerHour, per: 3600)
        attachmentsPerReport = RateLimiter(limit: limits.attachmentsPerReportPerHour, per: 3600)
        messagesPerReport = RateLimiter(limit: limits.messagesPerReportPerHour, per: 3600)
    }
}
