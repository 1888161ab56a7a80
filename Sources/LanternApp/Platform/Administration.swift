import Fluent
import Foundation
import LanternCore
import Vapor

/// Operations the command line performs on a configured application.
public enum Administration {
    /// `lantern purge`: deletes or anonymises what has passed its retention period, or with
    /// `dryRun` says what would go and changes nothing.
    public static func purge(on app: Application, dryRun: Bool) async throws -> String {
        try await RetentionPurge.run(app, today: Day(app.lantern.now()), dryRun: dryRun).text
    }

    public enum Problem: Error, CustomStringConvertible {
        case emailTaken(String)
        case invalid([String])
        public var description: String {
            switch self {
            case .emailTaken(let e): "someone with the email address \(e) already has an account"
            case .invalid(let problems): problems.joined(separator: "; ")
            }
        }
    }

    /// Creates an active person with a password (`lantern users create`).
    public static func createUser(on app: Application, email: String, name: String, role: Role, password: String) async throws {
        let email = User.normalise(email: email)
        var problems: [String] = []
        if !EmailAddress.isPlausible(email) { problems.append("the email address is not in a correct format") }
        if name.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("the name is empty") }
        problems += PasswordPolicy.problems(with: password, email: email)
        guard problems.isEmpty else { throw Problem.invalid(problems) }
        if try await User.query(on: app.db).filter(\.$email == email).first() != nil { throw Problem.emailTaken(email) }
        let user = User(email: email, displayName: name, role: role, teamID: nil)
        user.passwordHash = try await app.password.async.hash(password)
        try await user.create(on: app.db)
        try await app.lantern.audit.append(on: app.db, actor: .system, action: .create, entityType: "User",
                                           entityID: user.id?.uuidString, requestID: nil, detail: "cli role:\(role.rawValue)",
                                           at: app.lantern.now())
    }

    public struct AuditReport: Sendable {
        public let rowsChecked: Int
        public let headSequence: Int64
        public let headHash: String
        public let problem: String?
    }

    /// Walks the audit chain (`lantern audit verify`).
    public static func verifyAudit(on app: Application, expectedHead: String?) async throws -> AuditReport {
        let result = try await app.lantern.audit.verify(on: app.db, expectedHead: expectedHead)
        return AuditReport(rowsChecked: result.rowsChecked, headSequence: result.headSequence,
                           headHash: result.headHash, problem: result.firstBreak?.description)
    }
}

extension Administration {
    /// Re-wraps every record's data key under the application's current key (`lantern keys rotate`),
    /// and writes the rotation to the audit log.
    public static func rotateKeys(on app: Application) async throws -> (rewrapped: Int, alreadyCurrent: Int) {
        let report = try await KeyRotation.rotate(on: app.db, cipher: app.lantern.cipher)
        try await app.lantern.audit.append(on: app.db, actor: .system, action: .update, entityType: "DataProtectionKey",
                                           entityID: app.lantern.cipher.currentKeyID, requestID: nil,
                                           detail: "key rotation: \(report.rewrapped) data keys re-wrapped", at: app.lantern.now())
        return (report.rewrapped, report.alreadyCurrent)
    }
}
