import Foundation
import LanternCore
import Vapor

/// Lantern's per-application services, reachable from `app.lantern` and `req.lantern`.
/// The clock comes from the configuration and never changes afterwards.
public final class LanternServices: Sendable {
    public let configuration: LanternConfiguration
    public let cipher: FieldCipher
    private let clock: LanternClock
    let audit: AuditLog
    let publicLimits: PublicLimiters
    /// Large request bodies (files) held in memory at once, across all requests.
    let bodyBudget: BodyBudget
    /// The day the retention purge last ran while serving.
    let lastPurge = NIOLockedValueBox<Day?>(nil)

    init(configuration: LanternConfiguration) {
        self.configuration = configuration
        self.cipher = FieldCipher(master: configuration.dataProtectionKey, previous: configuration.previousDataProtectionKeys)
        self.clock = configuration.clock
        self.audit = AuditLog()
        self.publicLimits = PublicLimiters(configuration.publicReporting)
        self.bodyBudget = BodyBudget(capacity: configuration.largeBodyBudget)
    }

    public func now() -> Date { clock.now() }
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

    /// The client's address: the connection's, or what a trusted proxy says it forwarded for.
    var clientAddress: String {
        ClientAddress.resolve(remote: remoteAddress?.ipAddress, forwardedFor: headers[.xForwardedFor],
                              trustedProxies: lantern.configuration.trustedProxies)
    }
}

/// The in-memory counters behind the public reporting limits. Nothing here is written down.
struct PublicLimiters: Sendable {
    let reportsOverall: RateLimiter
    let reportsPerAddress: RateLimiter
    let attachmentsPerReport: RateLimiter
    let messagesPerReport: RateLimiter
    let codeFailures = FailureTracker()
    /// Reports sent without a solved proof of work (no JavaScript, or a script skipping it).
    let reportsWithoutProof: RateLimiter
    let spentChallenges = SpentOnce()

    init(_ limits: PublicReportingLimits) {
        reportsOverall = RateLimiter(limit: limits.reportsPerHour, per: 3600)
        reportsWithoutProof = RateLimiter(limit: limits.reportsWithoutProofPerHour, per: 3600)
        reportsPerAddress = RateLimiter(limit: limits.reportsPerAddressPerHour, per: 3600)
        attachmentsPerReport = RateLimiter(limit: limits.attachmentsPerReportPerHour, per: 3600)
        messagesPerReport = RateLimiter(limit: limits.messagesPerReportPerHour, per: 3600)
    }
}
