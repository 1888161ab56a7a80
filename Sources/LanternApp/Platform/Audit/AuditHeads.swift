import Fluent
import Foundation
import LanternCore
import Vapor

/// Records the audit log's head once a day outside the database: a log line for the log
/// collector, and a line in the heads file beside the data, which every later verify checks.
enum AuditHeads {
    static func recorded(_ app: Application) -> [AuditHeadRecord] {
        guard let path = app.lantern.configuration.auditHeadsPath,
              let data = FileManager.default.contents(atPath: path) else { return [] }
        return AuditHeadRecord.parse(String(decoding: data, as: UTF8.self))
    }

    /// Appends today's head unless today's is already there. Returns the record written.
    @discardableResult
    static func recordIfDue(_ app: Application) async throws -> AuditHeadRecord? {
        let today = Day(app.lantern.now()).iso
        guard recorded(app).last?.day != today,
              let head = try await AuditEntry.query(on: app.db).sort(\.$sequence, .descending).first() else { return nil }
        let record = AuditHeadRecord(day: today, sequence: head.sequence, hash: head.hash)
        app.logger.notice("audit head", metadata: ["day": "\(today)", "sequence": "\(head.sequence)", "hash": "\(head.hash)"])
        if let path = app.lantern.configuration.auditHeadsPath {
            try PrivateFiles.file(path)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(record.line.utf8))
            try handle.synchronize()
            try handle.close()
        }
        return record
    }
}
