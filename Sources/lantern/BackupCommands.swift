import ArgumentParser
import Foundation
import LanternApp
import LanternCore

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the database while Lantern runs.",
        discussion: """
            SQLite: a snapshot written with VACUUM INTO, which never blocks the running instance's writes. \
            PostgreSQL: pg_dump in its custom format (pg_dump --format=custom --file FILE --dbname DATABASE_URL), \
            one consistent snapshot however many instances are writing. Evidence files are inside the database, \
            so the one file holds everything. The data-protection key is not in it: keep the key, and its own \
            backup, apart from the database's.
            """)

    @ArgumentParser.OptionGroup var storage: StorageOptions
    @ArgumentParser.Option(name: .customLong("to"), help: "The file to write; it must not exist yet.") var destination: String

    func run() async throws {
        guard !FileManager.default.fileExists(atPath: destination) else { throw CommandFailure("\(destination) already exists; choose a new file.") }
        let configuration = try storage.configuration(demo: false)
        switch configuration.database {
        case .postgres(let url, _):
            try PostgresTools.run("pg_dump", ["--format=custom", "--no-owner", "--file", destination, "--dbname", url])
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: destination)
            print("Backup written to \(destination) with pg_dump.")
        case .sqliteFile, .sqliteMemory:
            let summary = try await Runtime.withApplication(configuration) { app in
                do { try await Backup.copySQLite(on: app, to: destination) } catch let problem as Administration.Problem { throw CommandFailure(problem.description) }
                return try await Backup.summary(on: app)
            }
            print("Backup written to \(destination): \(summary.text).")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: destination)[.size] as? Int) ?? 0
        print("Size: \(size) bytes. Restore it with `lantern restore --from \(destination)` into a new data folder or an empty database.")
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup, after checking that the key opens it and its audit log verifies.",
        discussion: """
            SQLite: the copy is checked in a staging file beside the target, and only then moved into place; \
            an existing database is replaced only with --replace, and is kept as lantern.sqlite.before-restore. \
            PostgreSQL: the target database must be empty; pg_restore fills it, and if the checks then fail \
            what was restored is removed again.
            """)

    @ArgumentParser.OptionGroup var storage: StorageOptions
    @ArgumentParser.Option(name: .customLong("from"), help: "A file written by `lantern backup`.") var source: String
    @ArgumentParser.Flag(help: "Replace an existing SQLite database (it is kept beside, as lantern.sqlite.before-restore).") var replace = false

    func run() async throws {
        guard FileManager.default.isReadableFile(atPath: source) else { throw CommandFailure("Cannot read \(source).") }
        var configuration = try storage.configuration(demo: false)
        // Heads recorded by the live database may be newer than the copy: they are not its own.
        configuration.auditHeadsPath = nil
        switch configuration.database {
        case .postgres(let url, _):
            if try await Backup.withBareConnection(postgres: url, { try await Backup.hasTables($0) }) {
                throw CommandFailure("The target database already holds tables. Restore into a new, empty database, then point Lantern at it.")
            }
            try PostgresTools.run("pg_restore", ["--no-owner", "--exit-on-error", "--dbname", url, source])
            do {
                try await check(configuration)
            } catch {
                try? await Backup.withBareConnection(postgres: url) { try await Backup.emptySchema($0) }
                throw error
            }
        case .sqliteFile(let path):
            let fm = FileManager.default
            if fm.fileExists(atPath: path) && !replace {
                throw CommandFailure("\(path) already exists. Restore into a new data folder (--data-dir), or pass --replace to replace it.")
            }
            do { try PrivateFiles.folder((path as NSString).deletingLastPathComponent) } catch { throw CommandFailure("Cannot create the data folder: \(error)") }
            let staging = path + ".restoring"
            for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: staging + suffix) }
            try fm.copyItem(atPath: source, toPath: staging)
            try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: staging)
            configuration.database = .sqliteFile(path: staging)
            do {
                try await check(configuration)
            } catch {
                for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: staging + suffix) }
                throw error
            }
            if fm.fileExists(atPath: path) {
                let kept = path + ".before-restore"
                for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: kept + suffix) }
                try fm.moveItem(atPath: path, toPath: kept)
                for suffix in ["-wal", "-shm"] where fm.fileExists(atPath: path + suffix) { try fm.moveItem(atPath: path + suffix, toPath: kept + suffix) }
                print("The database that was there is kept as \(kept).")
            }
            try fm.moveItem(atPath: staging, toPath: path)
        case .sqliteMemory:
            throw CommandFailure("Name a data folder or a database to restore into.")
        }
        print("Restored from \(source).")
    }

    /// Opens the restored copy with the configured key (a wrong key is refused by name) and
    /// verifies its audit chain.
    private func check(_ configuration: LanternConfiguration) async throws {
        let summary: Backup.Summary
        do {
            summary = try await Runtime.withApplication(configuration) { app in try await Backup.summary(on: app) }
        } catch let problem as ConfigurationProblem {
            throw CommandFailure("The backup was not restored: \(problem.description)")
        }
        if let problem = summary.auditProblem {
            throw CommandFailure("The backup was not restored: its audit log fails verification (\(problem)).")
        }
        print("Checked: the key opens it and the audit log verifies. \(summary.text).")
    }
}

/// PostgreSQL's own tools, found on PATH or where Debian installs them.
enum PostgresTools {
    static func path(_ tool: String) -> String? {
        let fm = FileManager.default
        let onPath = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/\(tool)" }
        let debian = ((try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "/usr/lib/postgresql/\($0)/bin/\(tool)" }
        return (onPath + debian).first { fm.isExecutableFile(atPath: $0) }
    }

    static func run(_ tool: String, _ arguments: [String]) throws {
        guard let executable = path(tool) else { throw CommandFailure("\(tool) is not installed (Debian: apt-get install postgresql-client).") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CommandFailure("\(tool) failed (exit \(process.terminationStatus)); see its message above.") }
    }
}
