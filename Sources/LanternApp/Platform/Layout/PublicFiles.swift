import Foundation
import Vapor

/// Stylesheets and scripts from `Public/`, asked of Vapor's `FileMiddleware` only for paths under
/// its top-level folders (`/css/`, `/js/`) or naming its top-level files. Every other request
/// skips it: it decoded the path and looked for a file on disk before each page.
struct PublicFiles: AsyncMiddleware {
    let files: FileMiddleware
    let folders: [String]
    let topFiles: Set<String>

    init(publicDirectory: String) {
        files = FileMiddleware(publicDirectory: publicDirectory)
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: publicDirectory)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        let isFolder = { (name: String) -> Bool in
            var folder: ObjCBool = false
            return FileManager.default.fileExists(atPath: (publicDirectory as NSString).appendingPathComponent(name), isDirectory: &folder) && folder.boolValue
        }
        folders = entries.filter(isFolder).map { "/" + $0 + "/" }
        topFiles = Set(entries.filter { !isFolder($0) }.map { "/" + $0 })
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let path = request.url.path
        guard topFiles.contains(path) || folders.contains(where: { path.hasPrefix($0) }) else { return try await next.respond(to: request) }
        return try await files.respond(to: request, chainingTo: next)
    }
}
