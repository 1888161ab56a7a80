import Fluent
import Foundation
import LanternCore
import StatementChecker
import Vapor

/// Checks a code a person typed against their confirmed authenticator or their unused
/// recovery codes. The check and the record of its use are one step under a lock on the
/// person, so two requests racing with the same code (on two instances, say) cannot both pass.
enum TwoFactorCheck {
    enum Result: Equatable {
        case authenticator
        case recoveryCode(left: Int)
        /// A right code already used: its time step is not later than the last accepted.
        case alreadyUsed
        case wrong
    }

    static func check(_ typed: String, for userID: UUID, on req: Request) async throws -> Result {
        let cipher = req.cipher, keys = req.lookupKeys, now = req.lantern.now()
        return try await req.db.writeTransaction { db in
            try await db.lockUntilCommit("two-factor|" + userID.uuidString)
            if RecoveryCodes.looksLikeOne(typed) {
                let digest = RecoveryCode.digest(typed, keys: keys)
                guard let code = try await RecoveryCode.query(on: db).filter(\.$userID == userID).filter(\.$digest == digest)
                    .filter(\.$usedAt == nil).first() else { return .wrong }
                code.usedAt = now
                try await code.save(on: db)
                return .recoveryCode(left: try await RecoveryCode.unused(for: userID, on: db))
            }
            guard let credential = try await TwoFactorCredential.confirmed(for: userID, on: db),
                  let step = try credential.totp(with: cipher).matchingStep(typed, at: now) else { return .wrong }
            if let last = credential.lastStep, step <= last { return .alreadyUsed }
            credential.lastStep = step
            try await credential.save(on: db)
            return .authenticator
        }
    }

    /// Ten new recovery codes in place of any earlier ones; the codes themselves are returned
    /// to be shown once.
    static func replaceRecoveryCodes(for userID: UUID, keys: LookupKeys, on db: any Database) async throws -> [String] {
        let codes = RecoveryCodes.generate()
        try await RecoveryCode.query(on: db).filter(\.$userID == userID).delete()
        for code in codes { try await RecoveryCode(userID: userID, digest: RecoveryCode.digest(code, keys: keys)).create(on: db) }
        return codes
    }

    /// Removes the person's second factor entirely (turned off, or reset by an administrator).
    static func remove(for user: User, on db: any Database) async throws {
        try await TwoFactorCredential.query(on: db).filter(\.$userID == user.id!).delete()
        try await RecoveryCode.query(on: db).filter(\.$userID == user.id!).delete()
        user.twoFactorAt = nil
        try await user.save(on: db)
    }

    /// Whether the organisation requires this person to use a second factor.
    static func isRequired(for user: User, organisation: Organisation?) -> Bool {
        (organisation?.requireTwoFactor ?? false) && user.seesCaseContent
    }
}

/// The authenticator's QR code, drawn as SVG by `qrencode` (Debian's package), shown as an
/// image so nothing in it can run. Nil where `qrencode` is not installed: the page then gives
/// the secret as text only, which every authenticator app also accepts.
enum QRCodeImage {
    static func svgDataURI(for text: String, on req: Request) async -> String? {
        guard let qrencode = ExternalTool.find("qrencode") else { return nil }
        let result = try? await req.application.threadPool.runIfActive {
            try ExternalTool(timeout: 10).run(qrencode, ["-t", "SVG", "-l", "M", "-m", "2", "-s", "6", "-o", "-", text], maxOutput: 1 << 20)
        }
        guard let result, result.status == 0, !result.stdout.isEmpty else { return nil }
        return "data:image/svg+xml;base64," + result.stdout.base64EncodedString()
    }
}
