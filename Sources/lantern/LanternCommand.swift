import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import LanternApp
import LanternCore
import Logging
import NIOCore
import NIOPosix
import Vapor

@main
struct LanternCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lantern",
        abstract: "Lantern: modern slavery compliance and safeguarding for UK public bodies.",
        subcommands: [Demo.self, Serve.self, Migrate.self, BackupCommand.self, RestoreCommand.self, Users.self, Import.self, Audit.self, Keys.self, Purge.self, StatementModel.self, CheckStatement.self]
    )

    static func main() async {
        // Async code runs on the event loops that serve the requests, rather than hopping to
        // Swift's own thread pool and back at every await (see docs/performance.md).
        if ProcessInfo.processInfo.environment["LANTERN_CONCURRENCY_EXECUTOR"] != "default" {
            NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        }
        keepLargeBuffersOutOfTheHeap()
        await main(nil)
    }

    /// Evidence is sealed a 1 MiB chunk at a time, so an upload makes and frees a few such
    /// buffers per chunk. glibc would otherwise raise its mmap threshold after the first is
    /// freed and serve the rest from the heap, which fragments and keeps growing with the
    /// size of what is uploaded. Fixing the threshold hands each large buffer back to the
    /// system as soon as it is freed (measured in e2e/test_upload_memory.py).
    private static func keepLargeBuffersOutOfTheHeap() {
        #if canImport(Glibc)
        // mallopt is in <malloc.h>, which the Glibc module leaves out; M_MMAP_THRESHOLD is -3.
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        guard ProcessInfo.processInfo.environment["MALLOC_MMAP_THRESHOLD_"] == nil,
              let symbol = dlsym(nil, "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: MallOpt.self)(-3, 128 * 1024)
        #endif
    }
}

/// Where the data lives and how it is protected; shared by every subcommand that opens the database.
struct StorageOptions: ParsableArguments {
    @ArgumentParser.Option(name: .long, help: "Folder for the SQLite database and local files (env LANTERN_DATA_DIR).")
    var dataDir: String = ProcessInfo.processInfo.environment["LANTERN_DATA_DIR"] ?? "data"

    @ArgumentParser.Option(name: .long, help: "postgres://user:pass@host/db to use PostgreSQL (env DATABASE_URL); SQLite in --data-dir otherwise.")
    var databaseURL: String? = ProcessInfo.processInfo.environment["DATABASE_URL"]

    @ArgumentParser.Option(name: .long, help: "File holding the base64 data-protection key (env LANTERN_DATA_KEY_FILE). LANTERN_DATA_KEY may hold the key itself.")
    var dataKeyFile: String? = ProcessInfo.processInfo.environment["LANTERN_DATA_KEY_FILE"]

    @ArgumentParser.Option(name: .long, help: "During a rotation across running instances: the previous key's file, still accepted for reading while the records move to the new key (env LANTERN_PREVIOUS_DATA_KEY_FILE, comma-separated).")
    var previousDataKeyFile: [String] = (ProcessInfo.processInfo.environment["LANTERN_PREVIOUS_DATA_KEY_FILE"] ?? "")
        .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }

    @ArgumentParser.Option(name: .long, help: "Folder holding Resources/ and Public/ (env LANTERN_RESOURCES_DIR); the current folder by default.")
    var resourcesDir: String? = ProcessInfo.processInfo.environment["LANTERN_RESOURCES_DIR"]

    /// The key, from the environment or a file. In demo mode a key is made once and kept in the data folder.
    func dataProtectionKey(demo: Bool) throws -> DataProtectionKey {
        var base64 = ProcessInfo.processInfo.environment["LANTERN_DATA_KEY"]
        if base64 == nil, let file = dataKeyFile {
            do { base64 = try PrivateFiles.readKey(file) } catch let problem as ConfigurationProblem { throw CommandFailure(problem.description) }
        }
        if base64 == nil, demo {
            let path = (dataDir as NSString).appendingPathComponent("demo-data-protection.key")
            if let existing = try? String(contentsOfFile: path, encoding: .utf8) {
                base64 = existing
            } else {
                do { try PrivateFiles.folder(dataDir) } catch { throw CommandFailure("Cannot create the data folder \(dataDir): \(error)") }
                let key = DataProtectionKey.generateBase64()
                _ = FileManager.default.createFile(atPath: path, contents: Data(key.utf8), attributes: [.posixPermissions: 0o600])
                base64 = key
            }
        }
        guard let base64 else {
            throw CommandFailure("""
                Lantern will not start without a data-protection key: it encrypts personal data at rest.
                Generate one with `lantern keys generate`, keep it outside the database (and backed up separately),
                and pass it as LANTERN_DATA_KEY, or as a file with --data-key-file / LANTERN_DATA_KEY_FILE.
                To try Lantern with demo data instead, run `lantern demo`.
                """)
        }
        do {
            return try DataProtectionKey(base64: base64)
        } catch {
            throw CommandFailure("The data-protection key is not usable: \(error).")
        }
    }

    func configuration(demo: Bool, behindTLS: Bool = false, housekeeping: Bool = false) throws -> LanternConfiguration {
        do {
            var configuration = LanternConfiguration(
                database: try LanternConfiguration.database(url: databaseURL, dataDirectory: dataDir),
                dataDirectory: dataDir, dataProtectionKey: try dataProtectionKey(demo: demo), demo: demo,
                behindTLS: behindTLS, resourcesDirectory: resourcesDir, runsHousekeeping: housekeeping)
            configuration.previousDataProtectionKeys = try previousDataKeyFile.map { file in
                do { return try DataProtectionKey(base64: try PrivateFiles.readKey(file)) } catch let problem as ConfigurationProblem { throw CommandFailure(problem.description) } catch {
                    throw CommandFailure("The previous key in \(file) is not usable: \(error).")
                }
            }
            configuration.publicReporting = .fromEnvironment(ProcessInfo.processInfo.environment)
            configuration.trustedProxies = Set((ProcessInfo.processInfo.environment["LANTERN_TRUSTED_PROXIES"] ?? "")
                .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
            configuration.metricsToken = ProcessInfo.processInfo.environment["LANTERN_METRICS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            if let hour = ProcessInfo.processInfo.environment["LANTERN_DAILY_HOUR"].flatMap(Int.init) {
                guard (0...23).contains(hour) else { throw CommandFailure("LANTERN_DAILY_HOUR must be an hour from 0 to 23, not \(hour).") }
                configuration.dailyHour = hour
            }
            if let count = ProcessInfo.processInfo.environment["LANTERN_SQLITE_READ_CONNECTIONS"].flatMap(Int.init) {
                guard (0...64).contains(count) else { throw CommandFailure("LANTERN_SQLITE_READ_CONNECTIONS must be from 0 to 64, not \(count).") }
                configuration.sqliteReadConnections = count
            }
            if let seconds = ProcessInfo.processInfo.environment["LANTERN_HOUSEKEEPING_SECONDS"].flatMap(Int.init) {
                guard seconds >= 1 else { throw CommandFailure("LANTERN_HOUSEKEEPING_SECONDS must be 1 or more, not \(seconds).") }
                configuration.housekeepingInterval = seconds
            }
            do {
                configuration.mail = try MailConfiguration.fromEnvironment(ProcessInfo.processInfo.environment, defaultPublicURL: "http://localhost:8080")
            } catch let problem as MailConfiguration.Problem { throw CommandFailure(problem.description) }
            do {
                configuration.oidc = try OIDCSettings.fromEnvironment(ProcessInfo.processInfo.environment)
            } catch let problem as OIDCSettings.Problem { throw CommandFailure(problem.description) }
            if let seconds = ProcessInfo.processInfo.environment["LANTERN_SESSION_IDLE_SECONDS"].flatMap(Int.init) {
                guard (10...3_600).contains(seconds) else {
                    throw CommandFailure("LANTERN_SESSION_IDLE_SECONDS must be from 10 to 3600 (security policy asks for 1800 to 3600), not \(seconds).")
                }
                configuration.sessionLifetime.idleTimeout = TimeInterval(seconds)
            }
            return configuration
        } catch let problem as ConfigurationProblem {
            throw CommandFailure(problem.description)
        }
    }
}

extension ServerOptions {
    /// Links in emails point where this server listens, unless LANTERN_PUBLIC_URL says otherwise.
    func withPublicURL(_ configuration: LanternConfiguration) -> LanternConfiguration {
        var configuration = configuration
        if (ProcessInfo.processInfo.environment["LANTERN_PUBLIC_URL"] ?? "").isEmpty {
            configuration.mail.publicURL = "http://\(hostname):\(port)"
        }
        return configuration
    }
}

struct ServerOptions: ParsableArguments {
    @ArgumentParser.Option(name: .long, help: "Address to listen on (env LANTERN_HOST).")
    var hostname: String = ProcessInfo.processInfo.environment["LANTERN_HOST"] ?? "127.0.0.1"

    @ArgumentParser.Option(name: .long, help: "Port to listen on (env LANTERN_PORT).")
    var port: Int = Int(ProcessInfo.processInfo.environment["LANTERN_PORT"] ?? "") ?? 8080
}

enum Runtime {
    /// Logging is bootstrapped once per process, before any application exists.
    static let bootstrapped: Void = {
        var env = (try? Environment.detect(arguments: ["lantern"])) ?? .production
        try? LoggingSystem.bootstrap(from: &env)
    }()

    static func withApplication<T>(_ configuration: LanternConfiguration, environment: Environment = .production,
                                   _ body: (Application) async throws -> T) async throws -> T {
        _ = bootstrapped
        let app = try await Application.make(environment)
        do {
            try await configure(app, configuration)
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    static func serve(_ configuration: LanternConfiguration, server: ServerOptions, banner: (() -> Void)? = nil) async throws {
        var environment = Environment.production
        environment.arguments = ["lantern", "serve", "--hostname", server.hostname, "--port", String(server.port)]
        try await withApplication(configuration, environment: environment) { app in
            banner?()
            try await app.execute()
        }
    }
}

/// A failure to report in one clear sentence and exit non-zero, without the usage text
/// (which `ValidationError` adds and which would bury the message).
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
