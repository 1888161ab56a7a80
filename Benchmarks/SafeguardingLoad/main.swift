import Foundation
import LanternApp
import LanternCore
import Vapor

/// Adds synthetic concerns and cases to a Lantern database for capacity tests.
///   safeguarding-load DATA_DIR CASES CONCERNS
/// The key comes from LANTERN_DATA_KEY_FILE; the database from DATABASE_URL (else SQLite in DATA_DIR).
let arguments = CommandLine.arguments
guard arguments.count == 4, let cases = Int(arguments[2]), let concerns = Int(arguments[3]),
      let keyFile = ProcessInfo.processInfo.environment["LANTERN_DATA_KEY_FILE"],
      let keyText = try? String(contentsOfFile: keyFile, encoding: .utf8) else {
    FileHandle.standardError.write(Data("usage: LANTERN_DATA_KEY_FILE=KEY safeguarding-load DATA_DIR CASES CONCERNS\n".utf8))
    exit(2)
}
let dataDir = arguments[1]
let configuration = LanternConfiguration(
    database: try LanternConfiguration.database(url: ProcessInfo.processInfo.environment["DATABASE_URL"], dataDirectory: dataDir),
    dataDirectory: dataDir, dataProtectionKey: try DataProtectionKey(base64: keyText))
let app = try await Application.make(.production)
try await configure(app, configuration)
let started = ContinuousClock.now
let report = try await CapacityData.generate(on: app, cases: cases, concerns: concerns)
let took = (ContinuousClock.now - started).components
print(String(format: "Added %d concerns and %d cases (%d owned by the demo caseworker) in %.1f s",
             report.concerns, report.cases, report.ownedByCaseworker, Double(took.seconds) + Double(took.attoseconds) / 1e18))
try await app.asyncShutdown()
