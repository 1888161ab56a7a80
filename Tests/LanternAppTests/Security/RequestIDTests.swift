import Fluent
import Foundation
import LanternCore
import Testing
import VaporTesting
@testable import LanternApp

/// A request id from outside reaches the logs and the audit log, so only a plain token of at
/// most 64 characters is kept; anything else is replaced (issue 17, item 7).
@Suite("Request ids")
struct RequestIDTests {
    @Test func onlyPlainShortTokensAreAccepted() {
        #expect(RequestLogMiddleware.isAcceptableRequestID("lb-7f3a.2_x"))
        #expect(RequestLogMiddleware.isAcceptableRequestID(String(repeating: "a", count: 64)))
        for bad in ["", String(repeating: "a", count: 65), "<script>", "a b", "née", "x\r\nSet-Cookie: y", "Eritrea;Ruth"] {
            #expect(!RequestLogMiddleware.isAcceptableRequestID(bad), "\(bad)")
        }
    }

    @Test(arguments: TestDatabase.available)
    func theAuditLogKeepsAPlainIdAndReplacesAnythingElse(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let lead = try env.browser()
            try await lead.signIn(as: .safeguardingLead)
            let child = try #require(try await SafeguardingCase.query(on: env.db).filter(\.$age == .under18).first())
            let path = "/cases/\(child.id!.uuidString)"
            func auditedID(sending id: String) async throws -> String? {
                let response = try await lead.send(.GET, path, headers: ["Accept": "text/html", "X-Request-Id": id])
                #expect(response.status == .ok)
                let entry = try await AuditEntry.query(on: env.db).filter(\.$entityID == child.id!.uuidString).sort(\.$sequence, .descending).first()
                return entry?.requestID
            }
            #expect(try await auditedID(sending: "lb-7f3a.2_x") == "lb-7f3a.2_x")
            let huge = String(repeating: "Ruth Tesfaye, Eritrea; ", count: 220)
            let replaced = try #require(try await auditedID(sending: huge))
            #expect(replaced.count <= 64 && UUID(uuidString: replaced) != nil, "a 5 KB id must not be stored: \(replaced.prefix(80))")
            let script = try #require(try await auditedID(sending: "<script>alert(1)</script>"))
            #expect(UUID(uuidString: script) != nil)
        }
    }
}

/// Case content shown on the home page is a read of the case, audited (issue 17, item 10).
@Suite("Home page reads")
struct HomePageReadTests {
    @Test(arguments: TestDatabase.available)
    func taskTitlesOnTheHomePageAreAuditedAsReadsOfTheirCase(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let caseworker = try env.browser()
            try await caseworker.signIn(as: .caseworker)
            let child = try #require(try await SafeguardingCase.query(on: env.db).filter(\.$age == .under18).first())
            func reads() async throws -> Int {
                try await AuditEntry.query(on: env.db).filter(\.$entityID == child.id!.uuidString).filter(\.$action == "read")
                    .filter(\.$detail == "task titles on the home page").count()
            }
            let before = try await reads()
            let home = try await caseworker.get("/home").body.string
            #expect(home.contains("Strategy meeting with the police and the school"))
            #expect(try await reads() == before + 1)
        }
    }
}
