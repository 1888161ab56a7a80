import ArgumentParser
import Foundation
import LanternApp
import LanternCore

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run Lantern on SQLite with a demo organisation and one person per role (created on first run).")

    @ArgumentParser.OptionGroup var storage: StorageOptions
    @ArgumentParser.OptionGroup var server: ServerOptions

    func run() async throws {
        let configuration = server.withPublicURL(try storage.configuration(demo: true, housekeeping: true))
        try await Runtime.serve(configuration, server: server) {
            print("""

            Lantern demo is running at http://\(server.hostname):\(server.port)/
            Data folder: \(storage.dataDir). Demo mode only: every demo account's password is \(DemoData.password())

            """)
            let width = Role.allCases.map(\.displayName.count).max() ?? 0
            for role in Role.allCases {
                print("  \(role.displayName.padding(toLength: width + 2, withPad: " ", startingAt: 0))\(DemoData.email(for: role))")
            }
            print("")
        }
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run Lantern for real use.")

    @ArgumentParser.OptionGroup var storage: StorageOptions
    @ArgumentParser.OptionGroup var server: ServerOptions

    @ArgumentParser.Flag(name: .long, help: "Lantern is reached over HTTPS (directly or through a proxy): Secure cookies and HSTS (env LANTERN_BEHIND_TLS=1).")
    var behindTLS = ProcessInfo.processInfo.environment["LANTERN_BEHIND_TLS"] == "1"

    func run() async throws {
        let configuration = server.withPublicURL(try storage.configuration(demo: false, behindTLS: behindTLS, housekeeping: true))
        try await Runtime.serve(configuration, server: server)
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or update the database schema, then exit.")
    @ArgumentParser.OptionGroup var storage: StorageOptions

    func run() async throws {
        // Opening the application applies every pending migration.
        try await Runtime.withApplication(try storage.configuration(demo: false)) { _ in
            print("The database is up to date.")
        }
    }
}

struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage people from the command line.", subcommands: [Create.self, Token.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a person who can sign in; use it for the first administrator.")

        @ArgumentParser.OptionGroup var storage: StorageOptions
        @ArgumentParser.Option(help: "One of: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
        var role: String
        @ArgumentParser.Option(help: "Their work email address.") var email: String
        @ArgumentParser.Option(help: "Their full name.") var name: String
        @ArgumentParser.Option(help: "File holding the password; otherwise LANTERN_NEW_PASSWORD, or the first line of standard input.")
        var passwordFile: String?

        func run() async throws {
            guard let role = Role(rawValue: role) else {
                throw ValidationError("Unknown role \(role). Use one of: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            let password: String
            if let file = passwordFile {
                guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw ValidationError("Cannot read \(file).") }
                password = text.trimmingCharacters(in: .newlines)
            } else if let fromEnv = ProcessInfo.processInfo.environment["LANTERN_NEW_PASSWORD"] {
                password = fromEnv
            } else {
                print("Password for \(email): ", terminator: "")
                password = readLine(strippingNewline: true) ?? ""
            }
            do {
                try await Runtime.withApplication(try storage.configuration(demo: false)) { app in
                    try await Administration.createUser(on: app, email: email, name: name, role: role, password: password)
                }
            } catch let problem as Administration.Problem {
                throw CommandFailure("Not created: \(problem.description).")
            }
            print("Created \(role.displayName) \(email). They can sign in now.")
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make an API token for an account and print it (once: only its digest is kept).")

        @ArgumentParser.OptionGroup var storage: StorageOptions
        @ArgumentParser.Option(help: "The account's email address.") var email: String
        @ArgumentParser.Option(help: "What the token is for.") var name: String
        @ArgumentParser.Option(help: "A permission the token holds; repeat for more. Never more than the account's role.") var scope: [String]
        @ArgumentParser.Option(help: "Days until it expires (1 to 365).") var days = 90
        @ArgumentParser.Option(help: "Calls a minute it may make.") var callsPerMinute = 600

        func run() async throws {
            do {
                let text = try await Runtime.withApplication(try storage.configuration(demo: false)) { app in
                    try await Administration.createAPIToken(on: app, email: email, name: name, scopes: scope, days: days, callsPerMinute: callsPerMinute)
                }
                print(text)
            } catch let problem as Administration.Problem {
                throw CommandFailure("No token made: \(problem.description).")
            }
        }
    }
}

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Work with the audit log.", subcommands: [Verify.self, Archive.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Walk the hash chain and report the first altered or missing row. Exits 1 if the log was tampered with.",
            discussion: """
                The head (the newest row's hash) is printed every time: keep it outside Lantern. Lantern also \
                records it once a day in audit-heads.log beside the data and in its log, and every verify \
                checks those recorded heads are still in place, so a re-hashed or shortened table fails.
                """)

        @ArgumentParser.OptionGroup var storage: StorageOptions
        @ArgumentParser.Option(help: "The head hash recorded earlier outside the database; catches rows cut off the end.")
        var expectHead: String?
        @ArgumentParser.Option(name: .customLong("archive"), help: "An archive file written by `audit archive`, checked against the boundary the database holds. Repeatable.")
        var archives: [String] = []

        func run() async throws {
            var failed = false
            let (report, archiveChecks) = try await Runtime.withApplication(try storage.configuration(demo: false)) { app in
                let report = try await Administration.verifyAudit(on: app, expectedHead: expectHead)
                var checks: [(String, Int, String?)] = []
                for path in archives {
                    guard let data = FileManager.default.contents(atPath: path) else { checks.append((path, 0, "cannot be read")); continue }
                    let check = try await Administration.verifyAuditArchive(on: app, file: data)
                    checks.append((path, check.rows, check.problem))
                }
                return (report, checks)
            }
            if let through = report.archivedThrough { print("Rows 1-\(through) are archived; the chain was checked from their boundary.") }
            if let problem = report.problem {
                print("Audit log FAILED verification after \(report.rowsChecked) rows: \(problem).")
                failed = true
            } else {
                print("Audit log verified: \(report.rowsChecked) rows, chain intact; \(report.recordedHeadsChecked) recorded daily heads still in place.")
            }
            for (path, rows, problem) in archiveChecks {
                if let problem { print("Archive \(path) FAILED: \(problem)."); failed = true }
                else { print("Archive \(path): \(rows) rows, chain intact to the recorded boundary.") }
            }
            print("Head: row \(report.headSequence), hash \(report.headHash)")
            print("Record the head hash outside the database; pass it as --expect-head next time.")
            if failed { throw ExitCode(1) }
        }
    }

    struct Archive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move audit rows dated before a day into a file, keeping the chain verifiable.",
            discussion: """
                The chain is verified first. Rows go to a new file (JSON, one row a line, with every hash), \
                then leave the database; the database keeps the boundary hash and the file's SHA-256, and the \
                move is itself an audit row. Keep the file as long as the audit log's retention requires.
                """)

        @ArgumentParser.OptionGroup var storage: StorageOptions
        @ArgumentParser.Option(help: "Archive rows dated before this day (YYYY-MM-DD, UK time).")
        var before: String
        @ArgumentParser.Option(help: "The archive file to write; it must not exist.")
        var output: String

        func run() async throws {
            guard let day = Day(parsing: before) else { throw CommandFailure("--before must be a date like 2025-04-01.") }
            do {
                let report = try await Runtime.withApplication(try storage.configuration(demo: false)) { app in
                    try await Administration.archiveAudit(on: app, before: day, to: output)
                }
                print("Archived rows \(report.firstSequence)-\(report.throughSequence) to \(output).")
                print("Boundary hash \(report.boundaryHash); file SHA-256 \(report.fileSHA256).")
            } catch let problem as Administration.Problem {
                throw CommandFailure("Nothing archived. \(problem.description)")
            }
        }
    }
}

struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Data-protection keys.", subcommands: [Generate.self, Rotate.self])

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-encrypt every record's data key under a new data-protection key, in one transaction.",
            discussion: """
                The current key comes from LANTERN_DATA_KEY or --data-key-file as usual; the new one from --new-key-file.
                Nothing is lost if it stops part-way: the change is all or nothing. Afterwards start Lantern with the new key,
                and keep the old one until the backups made under it have expired.
                """)

        @ArgumentParser.OptionGroup var storage: StorageOptions
        @ArgumentParser.Option(help: "File holding the new base64 data-protection key (make one with `lantern keys generate`).")
        var newKeyFile: String

        func run() async throws {
            var configuration = try storage.configuration(demo: false)
            let text: String
            do { text = try PrivateFiles.readKey(newKeyFile, describedAs: "new key file") } catch let problem as ConfigurationProblem { throw CommandFailure(problem.description) }
            let newKey: DataProtectionKey
            do { newKey = try DataProtectionKey(base64: text) } catch { throw CommandFailure("The new key is not usable: \(error).") }
            guard newKey.id != configuration.dataProtectionKey.id else {
                throw CommandFailure("The new key is the same as the current one.")
            }
            configuration.previousDataProtectionKeys = [configuration.dataProtectionKey]
            configuration.dataProtectionKey = newKey
            let report = try await Runtime.withApplication(configuration) { app in
                try await Administration.rotateKeys(on: app)
            }
            print("Rotated: \(report.rewrapped) data keys re-wrapped under key \(newKey.id) (\(report.alreadyCurrent) already used it).")
            print("Start Lantern with the new key from now on.")
        }
    }

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a new random 256-bit data-protection key (base64), printed or written to a private file.")
        @ArgumentParser.Option(help: "Write the key to this new file, readable by this account only (mode 0600), instead of printing it.")
        var output: String?

        func run() async throws {
            let key = DataProtectionKey.generateBase64()
            guard let output else { print(key); return }
            guard !FileManager.default.fileExists(atPath: output) else { throw CommandFailure("\(output) already exists; a key file is never overwritten.") }
            guard FileManager.default.createFile(atPath: output, contents: Data((key + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
                throw CommandFailure("Cannot create \(output).")
            }
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: output)
            print("Wrote a new data-protection key to \(output) (mode 0600). Back it up apart from the database.")
        }
    }
}

struct Purge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Delete or anonymise what has passed its retention period, and say what was done.",
        discussion: "The periods are the retention schedule an administrator keeps in Lantern. With --dry-run nothing changes.")

    @ArgumentParser.OptionGroup var storage: StorageOptions
    @ArgumentParser.Flag(help: "Report what would be purged today without changing anything.") var dryRun = false

    func run() async throws {
        let report = try await Runtime.withApplication(try storage.configuration(demo: false)) { app in
            try await Administration.purge(on: app, dryRun: dryRun)
        }
        print(report)
    }
}
