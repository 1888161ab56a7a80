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
    /// The organisation's row, read once every few seconds rather than on every page.
    let organisation: OrganisationCache
    /// The busiest pages' reads on an SQLite file; nil on PostgreSQL and in memory.
    let reads: SQLiteReads?

    init(configuration: LanternConfiguration) {
        self.configuration = configuration
        self.cipher = FieldCipher(master: configuration.dataProtectionKey, previous: configuration.previousDataProtectionKeys)
        self.clock = configuration.clock

        self.publicLimits = PublicLimiters(configuration.publicReporting)
        self.bodyBudget = BodyBudget(capacity: configuration.largeBodyBudget)
        self.organisation = OrganisationCache(freshFor: configuration.organisationFreshFor)
        if case .sqliteFile(let path) = configuration.database, configuration.sqliteReadConnections > 0 {
            reads = SQLiteReads(path: path, kept: configuration.sqliteReadConnections)
            audit = AuditLog(writer: SQLiteAuditWriter(path: path))
        } else {
            reads = nil
            audit = AuditLog()
        }
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

    /// The client's address as the shared limits key it: a keyed HMAC, never the address.
    var clientAddressKey: String { lookupKeys.blindIndex(clientAddress, purpose: "public-limits") }
}

/// The limits on public reporting, counted in the database so every instance shares them
/// (`SharedLimits`). Addresses are keyed by an HMAC under the lookup secret, never stored.
struct PublicLimiters: Sendable {
    let reportsOverall: SharedLimit
    let reportsPerAddress: SharedLimit
    let attachmentsPerReport: SharedLimit
    let messagesPerReport: SharedLimit
    /// Reports sent without a solved proof of work (no JavaScript, or a script skipping it).
    let reportsWithoutProof: SharedLimit
    /// Growing delays after receipt codes that match no report, from the third miss (two typing
    /// slips cost nothing); failures are kept a day.
    let codeFailures = "receipt-code-failure"
    let codeBackoff = FailureBackoff()
    let freeCodeFailures = 2
    let codeFailureMemory: TimeInterval = 86_400
    let spentChallenges = "proof-of-work-spent"
    /// The key every reporter shares for the overall budgets.
    let everyone = "all"

    init(_ limits: PublicReportingLimits) {
        reportsOverall = SharedLimit(bucket: "reports-with-proof", limit: limits.reportsPerHour, window: 3600)
        reportsWithoutProof = SharedLimit(bucket: "reports-without-proof", limit: limits.reportsWithoutProofPerHour, window: 3600)
        reportsPerAddress = SharedLimit(bucket: "reports-per-address", limit: limits.reportsPerAddressPerHour, window: 3600)
        attachmentsPerReport = SharedLimit(bucket: "attachments-per-report", limit: limits.attachmentsPerReportPerHour, window: 3600)
        messagesPerReport = SharedLimit(bucket: "messages-per-report", limit: limits.messagesPerReportPerHour, window: 3600)
    }
}
