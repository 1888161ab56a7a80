import Foundation
import LanternCore

/// Everything that differs between one deployment and another. Built once by the
/// command line (or a test) and handed to ``configure(_:_:)``.
public struct LanternConfiguration: Sendable {
    public enum Database: Sendable, Equatable {
        case sqliteFile(path: String)
        case sqliteMemory
        /// A `postgres://` URL; `searchPath` lets tests isolate themselves in a schema.
        case postgres(url: String, searchPath: String? = nil)
    }

    public var database: Database
    public var dataDirectory: String
    public var dataProtectionKey: DataProtectionKey
    /// Earlier keys still accepted for reading while `lantern keys rotate` moves records to the new one.
    public var previousDataProtectionKeys: [DataProtectionKey] = []
    /// Demo mode creates the demo organisation and one person per role on first run.
    public var demo: Bool
    /// Set when Lantern is served over HTTPS (directly or behind a TLS-terminating proxy):
    /// the session cookie then carries `Secure` and pages send HSTS.
    public var behindTLS: Bool
    /// Bcrypt work factor; tests lower it to the minimum to stay fast.
    public var passwordCost: Int
    public var sessionLifetime: SessionLifetime
    /// Failed sign-ins for one account from one client address.
    public var signInThrottle: SignInThrottle
    /// Failed sign-ins for one account from anywhere: a high ceiling that slows and never locks.
    public var accountSignInThrottle = SignInThrottle(freeAttempts: 50, window: 15 * 60, maximumDelay: 60)
    /// Largest request body accepted before a 413 page.
    public var maxBodySize: Int
    /// Folder of Leaf views and public files; the repository root by default.
    public var resourcesDirectory: String?
    /// Clears expired sessions and other housekeeping on a timer while serving.
    public var runsHousekeeping: Bool
    /// Limits on the public reporting pages.
    public var publicReporting: PublicReportingLimits = .init()
    /// The bearer token a Prometheus scraper sends to read `/metrics`; without one `/metrics`
    /// answers 404, since request counts by route show when public reports arrive.
    public var metricsToken: String?
    /// Bytes of large request bodies (files) one instance holds at once: one full public report
    /// with its attachments, or several smaller uploads.
    public var largeBodyBudget = 128 * 1_048_576
    /// How long an instance keeps the organisation's row in memory (`OrganisationCache`): a
    /// change saved on another instance shows here within this many seconds.
    public var organisationFreshFor: TimeInterval = 5
    /// Read connections the busiest pages keep open on an SQLite file (`SQLiteReads`); 0 sends
    /// their reads, and the audit log's appends (`SQLiteAuditWriter`), through Fluent's connection.
    public var sqliteReadConnections = 8
    /// Reverse proxies (by address) whose `X-Forwarded-For` names the client; none by default.
    public var trustedProxies: Set<String> = []
    /// The file the audit log's head is recorded in once a day, outside the database; nil
    /// records only the log line. Beside the data by default.
    public var auditHeadsPath: String?
    /// The hour (UK time) from which each day's scheduled work (the retention purge) is queued.
    public var dailyHour = 2
    /// Seconds between housekeeping passes on each instance.
    public var housekeepingInterval = 900
    /// The mail server, the From address and the address links in emails point to.
    public var mail = MailConfiguration()
    /// The organisation's identity provider for single sign-on, if any.
    public var oidc: OIDCSettings?
    /// Where the current time comes from. It is in place before migrations and demo data run,
    /// so nothing is ever dated by another clock.
    public var clock: LanternClock

    public init(
        database: Database,
        dataDirectory: String = "data",
        dataProtectionKey: DataProtectionKey,
        demo: Bool = false,
        behindTLS: Bool = false,
        passwordCost: Int = 12,
        sessionLifetime: SessionLifetime = .init(),
        signInThrottle: SignInThrottle = .init(),
        maxBodySize: Int = 1 << 20,
        resourcesDirectory: String? = nil,
        runsHousekeeping: Bool = false,
        clock: LanternClock = .system
    ) {
        self.database = database
        self.dataDirectory = dataDirectory
        self.dataProtectionKey = dataProtectionKey
        self.demo = demo
        self.behindTLS = behindTLS
        self.passwordCost = passwordCost
        self.sessionLifetime = sessionLifetime
        self.signInThrottle = signInThrottle
        self.maxBodySize = maxBodySize
        self.resourcesDirectory = resourcesDirectory
        self.runsHousekeeping = runsHousekeeping
        self.clock = clock
        self.auditHeadsPath = (dataDirectory as NSString).appendingPathComponent("audit-heads.log")
    }

    /// The database named by `DATABASE_URL` when it is a PostgreSQL URL, else SQLite in the data folder.
    public static func database(url: String?, dataDirectory: String) throws -> Database {
        guard let url, !url.isEmpty else {
            return .sqliteFile(path: (dataDirectory as NSString).appendingPathComponent("lantern.sqlite"))
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            return .postgres(url: url)
        }
        if url.hasPrefix("sqlite://") {
            return .sqliteFile(path: String(url.dropFirst("sqlite://".count)))
        }
        throw ConfigurationProblem("DATABASE_URL must start with postgres:// (or sqlite:// for a file); got a URL of another kind")
    }
}

/// Limits on anonymous and public reporting (`shared/docs/domain/security.md` §1, the
/// GlobaLeaks defaults): 20 reports an hour in total, 5 per address, 30 attachments an hour
/// per report. Environment variables may raise them for load tests.
public struct PublicReportingLimits: Sendable {
    /// Reports carrying a solved proof of work, from everyone together.
    public var reportsPerHour = 20
    /// Reports without one (the form works without JavaScript), from everyone together: lower,
    /// so a scripted flood that skips the work cannot use up the hour for people.
    public var reportsWithoutProofPerHour = 5
    /// Leading zero bits the page's proof of work must find (16: about 65,000 hashes).
    public var proofOfWorkBits = ProofOfWork.defaultBits
    public var reportsPerAddressPerHour = 5
    public var attachmentsPerReportPerHour = 30
    public var messagesPerReportPerHour = 30

    public init() {}

    /// Reads `LANTERN_PUBLIC_REPORTS_PER_HOUR`, `LANTERN_PUBLIC_REPORTS_PER_ADDRESS_PER_HOUR` and
    /// `LANTERN_PUBLIC_REPORTS_WITHOUT_PROOF_PER_HOUR`.
    public static func fromEnvironment(_ env: [String: String]) -> PublicReportingLimits {
        var limits = PublicReportingLimits()
        if let n = env["LANTERN_PUBLIC_REPORTS_PER_HOUR"].flatMap(Int.init), n > 0 { limits.reportsPerHour = n }
        if let n = env["LANTERN_PUBLIC_REPORTS_PER_ADDRESS_PER_HOUR"].flatMap(Int.init), n > 0 { limits.reportsPerAddressPerHour = n }
        if let n = env["LANTERN_PUBLIC_REPORTS_WITHOUT_PROOF_PER_HOUR"].flatMap(Int.init), n > 0 { limits.reportsWithoutProofPerHour = n }
        return limits
    }
}

/// A set-up mistake worth a clear message and a non-zero exit, not a stack trace.
public struct ConfigurationProblem: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
