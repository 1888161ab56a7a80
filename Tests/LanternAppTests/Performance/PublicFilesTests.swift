import Foundation
import Testing
import VaporTesting
@testable import LanternApp

/// Stylesheets and scripts are served from `Public/`; no other path looks on disk.
@Suite("Public files")
struct PublicFilesTests {
    @Test func stylesheetsAndScriptsAreServedAndNothingElseIsLookedFor() async throws {
        try await withLantern(.sqlite) { env in
            let visitor = try env.browser()
            let css = try await visitor.get("/css/lantern.css", accept: "text/css")
            #expect(css.status == .ok)
            #expect(css.headers.contentType?.subType == "css")
            #expect(try await visitor.get("/js/error-summary.js", accept: "*/*").status == .ok)
            #expect(try await visitor.get("/css/missing.css", accept: "text/css").status == .notFound)
            #expect(try await visitor.get("/css/../Package.swift", accept: "*/*").status != .ok)
            // A page's path is never taken for a file's.
            #expect(try await visitor.get("/lantern.css", accept: "text/css").status == .notFound)
        }
        let middleware = PublicFiles(publicDirectory: FileManager.default.currentDirectoryPath + "/Public/")
        #expect(Set(middleware.folders).isSuperset(of: ["/css/", "/js/"]))
    }
}
