import Foundation
import LanternCore
import Testing
import Vapor
@testable import LanternApp

/// The data folder, the database and its journal files are the service account's alone, and a
/// key file others can read is refused (issue 17, item 13).
@Suite("Private files")
struct PrivateFilesTests {
    static func mode(_ path: String) throws -> Int {
        try #require((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue)
    }

    @Test func theDataFolderAndTheDatabaseFilesAreReadableByTheServiceOnly() async throws {
        let root = NSTemporaryDirectory() + "lantern-private-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        // A folder and a database left world-readable, as an earlier version made them.
        let folder = root + "/data"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let file = folder + "/lantern.sqlite"
        let fresh = root + "/fresh/lantern.sqlite"
        for (path, old) in [(file, true), (fresh, false)] {
            if old { _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644]) }
            let app = try await Application.make(.testing)
            do {
                try await configure(app, LanternConfiguration(
                    database: .sqliteFile(path: path), dataDirectory: (path as NSString).deletingLastPathComponent,
                    dataProtectionKey: try DataProtectionKey(base64: DataProtectionKey.generateBase64()), passwordCost: 4,
                    clock: TestClock().lanternClock))
                #expect(try Self.mode((path as NSString).deletingLastPathComponent) == 0o700)
                #expect(try Self.mode(path) == 0o600)
                #expect(FileManager.default.fileExists(atPath: path + "-wal"))
                #expect(try Self.mode(path + "-wal") == 0o600, "SQLite gives its journal the database file's mode")
            } catch {
                try? await app.asyncShutdown()
                throw error
            }
            try await app.asyncShutdown()
        }
    }

    @Test func aKeyFileOthersCanReadIsRefusedAndAPrivateOneIsRead() throws {
        let path = NSTemporaryDirectory() + "lantern-key-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = FileManager.default.createFile(atPath: path, contents: Data("a2V5\n".utf8), attributes: [.posixPermissions: 0o644])
        let refused = #expect(throws: ConfigurationProblem.self) { try PrivateFiles.readKey(path) }
        #expect(refused?.description.contains("can be read by other users (mode 644)") == true)
        #expect(refused?.description.contains("chmod 600 \(path)") == true)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        #expect(throws: ConfigurationProblem.self) { try PrivateFiles.readKey(path) }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(try PrivateFiles.readKey(path) == "a2V5\n")
    }
}
