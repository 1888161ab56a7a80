import Foundation

/// Files and folders that hold Lantern's data or keys are readable by the service account only
/// (`shared/docs/domain/security.md` §2): folders 0700, files 0600. A key file that others can
/// read is refused, as ssh refuses a private key with loose permissions.
public enum PrivateFiles {
    static let folderMode: Int = 0o700
    static let fileMode: Int = 0o600

    /// Creates `path` (and missing parents) as a private folder, or makes an existing one private.
    public static func folder(_ path: String) throws {
        let manager = FileManager.default
        if !manager.fileExists(atPath: path) {
            try manager.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: folderMode])
        }
        try manager.setAttributes([.posixPermissions: folderMode], ofItemAtPath: path)
    }

    /// Creates an empty private file at `path` if there is none, and makes an existing one private,
    /// so the database (and the journal files SQLite gives the same mode) is never world-readable.
    public static func file(_ path: String) throws {
        let manager = FileManager.default
        if !manager.fileExists(atPath: path) {
            guard manager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: fileMode]) else {
                throw ConfigurationProblem("Cannot create \(path).")
            }
        }
        try manager.setAttributes([.posixPermissions: fileMode], ofItemAtPath: path)
    }

    /// Reads a key file, refusing one that the group or other users can read or write.
    public static func readKey(_ path: String, describedAs what: String = "data-protection key file") throws -> String {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigurationProblem("Cannot read the \(what) \(path).")
        }
        let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
        if mode & 0o077 != 0 {
            throw ConfigurationProblem("The \(what) \(path) can be read by other users (mode \(String(mode, radix: 8))). "
                + "Make it readable by Lantern's account only: chmod 600 \(path)")
        }
        return text
    }
}
