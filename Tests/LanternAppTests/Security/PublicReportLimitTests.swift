import Fluent
import Foundation
import LanternCore
import Testing
import VaporTesting
@testable import LanternApp

/// The public report form stays open to genuine reporters (issue 17, item 6).
@Suite("Public report limits")
struct PublicReportLimitTests {
    @Test(arguments: TestDatabase.available)
    func refusedSubmissionsDoNotUseUpTheHour(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let flood = try env.browser()
            try await flood.get("/report")
            for _ in 0..<12 {
                let refused = try await flood.postPairs("/report", [("description", ""), ("anonymous", "yes")])
                #expect(refused.status == .unprocessableEntity)
            }
            // The per-address limit (5 an hour) counts accepted reports only.
            let reporter = try env.browser()
            for i in 0..<5 {
                let code = try await ConcernsTests.reportAnonymously(reporter)
                #expect(ReceiptCode(typed: code) != nil, "report \(i + 1) was refused")
            }
            try await reporter.get("/report")
            let sixth = try await reporter.postPairs("/report", ConcernsTests.publicReport)
            #expect(sixth.status == .tooManyRequests)
        }
    }

    @Test func theClientIsReadFromForwardedForOnlyBehindANamedProxy() {
        let proxies: Set<String> = ["10.0.0.2", "10.0.0.3"]
        // Straight from the client: the header is whatever the client wrote, so it is ignored.
        #expect(ClientAddress.resolve(remote: "81.2.69.142", forwardedFor: ["1.2.3.4"], trustedProxies: proxies) == "81.2.69.142")
        // Through the proxy: the rightmost address the proxies did not add.
        #expect(ClientAddress.resolve(remote: "10.0.0.2", forwardedFor: ["6.6.6.6, 81.2.69.142"], trustedProxies: proxies) == "81.2.69.142")
        #expect(ClientAddress.resolve(remote: "10.0.0.2", forwardedFor: ["81.2.69.142", "10.0.0.3"], trustedProxies: proxies) == "81.2.69.142")
        #expect(ClientAddress.resolve(remote: "10.0.0.2", forwardedFor: [], trustedProxies: proxies) == "10.0.0.2")
        #expect(ClientAddress.resolve(remote: nil, forwardedFor: ["81.2.69.142"], trustedProxies: proxies) == "unknown")
        // Without a proxy named, nobody's header is believed.
        #expect(ClientAddress.resolve(remote: "10.0.0.2", forwardedFor: ["81.2.69.142"], trustedProxies: []) == "10.0.0.2")
    }
}
