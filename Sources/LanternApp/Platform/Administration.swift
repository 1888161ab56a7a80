import Crypto
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
        case refused(String)
        public var description: String {
            switch self {
            case .emailTaken(let e): "someone with the email address \(e) already has an account"
            case .invalid(let problems): problems.joined(separator: "; ")
            case .refused(let why): why
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
        try await app.lantern.audit.append(on: app.db, actor: .system, action: .create, entity: .user,
                                           entityID: user.id?.uuidString, requestID: nil, detail: "cli role:\(role.rawValue)",
                                           at: app.lantern.now())
    }

    /// Makes an API token for an existing account (a person or a service account), for
    /// installing a connection from the server's command line. Returns the token's text.
    public static func createAPIToken(on app: Application, email: String, name: String, scopes: [String], days: Int, callsPerMinute: Int) async throws -> String {
        guard let owner = try await User.query(on: app.db).filter(\.$email == User.normalise(email: email)).first(), owner.isActive else {
            throw Problem.refused("no active account has the address \(email)")
        }
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 100 else { throw Problem.refused("the token's name must be 1 to 100 characters") }
        let permissions = scopes.compactMap(Permission.init(rawValue:))
        guard !scopes.isEmpty, permissions.count == scopes.count else {
            throw Problem.refused("scopes must be among: \(Permission.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let beyond = permissions.first(where: { !owner.can($0) }) {
            throw Problem.refused("a \(owner.role.displayName.lowercased())'s token cannot hold \(beyond.rawValue)")
        }
        guard (1...365).contains(days) else { throw Problem.refused("a token lasts from 1 to 365 days") }
        guard APITokenText.callLimits.contains(callsPerMinute) else { throw Problem.refused("calls a minute must be from 1 to 100000") }
        let (token, text) = APIToken.issue(owner: owner, name: name, scopes: permissions, days: days, callsPerMinute: callsPerMinute,
                                           by: nil, now: app.lantern.now())
        try await app.db.writeTransaction { db in
            try await token.create(on: db)
            try await app.lantern.audit.append(on: db, actor: .system, action: .create, entity: .apiToken, entityID: token.id?.uuidString, requestID: nil,
                                               detail: "command line, for \(owner.id!.uuidString): \(token.scopeText)", at: app.lantern.now())
        }
        return text
    }

    public struct AuditReport: Sendable {
        public let rowsChecked: Int
        public let headSequence: Int64
        public let headHash: String
        public let problem: String?
        /// Rows up to this one are in archive files, not the database.
        public let archivedThrough: Int64?
        /// Heads recorded outside the database (one a day) that were checked against their rows.
        public let recordedHeadsChecked: Int
    }

    public struct ArchiveReport: Sendable {
        public let firstSequence: Int64
        public let throughSequence: Int64
        public let boundaryHash: String
        public let fileSHA256: String
    }

    /// Moves audit rows dated before `day` into `path` (`lantern audit archive`).
    public static func archiveAudit(on app: Application, before day: Day, to path: String) async throws -> ArchiveReport {
        let r: AuditArchive.Result
        do {
            r = try await AuditArchive.run(on: app.db, log: app.lantern.audit, before: day, to: path, now: app.lantern.now())
        } catch let problem as AuditArchive.Problem {
            throw Problem.refused(problem.description)
        }
        return ArchiveReport(firstSequence: r.firstSequence, throughSequence: r.throughSequence, boundaryHash: r.boundaryHash, fileSHA256: r.fileSHA256)
    }

    /// Checks an archive file against the boundaries the database recorded for it.
    public static func verifyAuditArchive(on app: Application, file data: Data) async throws -> (rows: Int, problem: String?) {
        let archives = try await AuditArchiveRecord.query(on: app.db).sort(\.$throughSequence, .ascending).all()
        let decoder = JSONDecoder()
        guard let firstLine = data.split(separator: 0x0A).first, let first = try? decoder.decode(AuditArchive.Line.self, from: Data(firstLine)) else {
            return (0, "the file holds no audit rows")
        }
        guard let index = archives.firstIndex(where: { $0.firstSequence == first.sequence }) else {
            return (0, "no archive in this database starts at row \(first.sequence)")
        }
        let record = archives[index]
        let startHash = index == 0 ? AuditChain.genesis : archives[index - 1].boundaryHash
        let check = AuditArchive.verifyFile(data, after: record.firstSequence - 1, hash: startHash)
        if let broken = check.problem { return (check.rows, broken.description) }
        let digest = SHA256.hash(data: data).hexEncoded
        guard check.last == record.boundaryHash, digest == record.fileSHA256 else {
            return (check.rows, "the file does not end at the boundary recorded for rows \(record.firstSequence)-\(record.throughSequence), or it was changed")
        }
        return (check.rows, nil)
    }

    /// Walks the audit chain (`lantern audit verify`).
    public static func verifyAudit(on app: Application, expectedHead: String?) async throws -> AuditReport {
        let result = try await app.lantern.audit.verify(on: app.db, expectedHead: expectedHead, recordedHeads: AuditHeads.recorded(app))
        return AuditReport(rowsChecked: result.rowsChecked, headSequence: result.headSequence,
                           headHash: result.headHash, problem: result.firstBreak?.description,
                           archivedThrough: result.archivedThrough, recordedHeadsChecked: result.recordedHeadsChecked)
    }
}

extension Administration {
    /// Re-wraps every record's data key under the application's current key (`lantern keys rotate`),
    /// and writes the rotation to the audit log.
    public static func rotateKeys(on app: Application) async throws -> (rewrapped: Int, alreadyCurrent: Int) {
        let report = try await KeyRotation.rotate(on: app.db, cipher: app.lantern.cipher, registry: app.personalData)
        try await app.lantern.audit.append(on: app.db, actor: .system, action: .update, entity: .dataProtectionKey,
                                           entityID: app.lantern.cipher.currentKeyID, requestID: nil,
                                           detail: "key rotation: \(report.rewrapped) data keys re-wrapped", at: app.lantern.now())
        return (report.rewrapped, report.alreadyCurrent)
    }
}
