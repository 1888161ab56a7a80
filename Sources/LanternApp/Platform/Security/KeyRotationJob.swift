import Fluent
import Foundation
import LanternCore
import Vapor

/// A rotation of the data-protection key across running instances, as a job. Each instance is
/// restarted in turn with the new key, and the old one as a previous key (which it can still
/// read with); the first to start queues this job, and one instance re-wraps every record's data
/// key under the new key while all of them keep serving. Then the instances are restarted
/// without the previous key. `lantern keys rotate` does the same from the command line.
///
/// Run again it finds every data key already current, so it is safe to repeat.
struct KeyRotationJob: JobHandler {
    static let kind = "key-rotation"
    var kind: String { Self.kind }
    var title: String { "Re-wrapping data keys under the new key" }

    /// Queues the rotation to the key this instance holds, once per key.
    static func queueIfNeeded(_ app: Application) async throws {
        guard !app.lantern.configuration.previousDataProtectionKeys.isEmpty else { return }
        let key = app.lantern.cipher.currentKeyID
        _ = try await JobQueue.enqueue(kind: kind, subject: key, uniqueKey: "key-rotation:\(key)", owner: nil, on: app.db, now: app.lantern.now())
    }

    func run(_ context: JobContext) async throws -> (result: String, next: String?) {
        let app = context.app, cipher = app.lantern.cipher
        // An instance still on the old key cannot run it: it leaves it for one on the new key.
        guard context.job.subject == cipher.currentKeyID else { throw JobDeclined() }
        let report = try await KeyRotation.rotate(on: context.db, cipher: cipher, registry: app.personalData)
        try await context.audit(.update, .dataProtectionKey, id: cipher.currentKeyID, actor: .system,
                                detail: "key rotation: \(report.rewrapped) data keys re-wrapped")
        app.logger.notice("key rotation done", metadata: ["key": "\(cipher.currentKeyID)", "rewrapped": "\(report.rewrapped)"])
        return ("\(report.rewrapped) data keys re-wrapped under key \(cipher.currentKeyID); \(report.alreadyCurrent) already used it. Restart every instance without the previous key.", nil)
    }
}
