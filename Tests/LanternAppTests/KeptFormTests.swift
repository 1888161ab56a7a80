import Fluent
import Foundation
import LanternCore
import Testing
import VaporTesting
@testable import LanternApp

/// A form sent after its sender's session expired is kept for them, sealed, and comes back
/// after they sign in again; nobody else can reach it, and it goes when sent or out of time.
@Suite(.serialized)
struct KeptFormTests {
    static let note = String(repeating: "Met Maria at the drop-in and agreed a safe time to call. ", count: 25)

    @Test(arguments: TestDatabase.available)
    func aNoteSentAfterTheSessionExpiredIsKeptAndSentOnAfterSigningIn(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .caseworker)
            let c = try await CasesTests.openCase(browser, env, CasesTests.person("Maria", "Popescu", age: "adult"))
            let path = "/cases/\(c.id!.uuidString)"
            try await browser.get(path)
            env.clock.advance(by: 31 * 60)
            // A page in another tab first: the browser still names the expired session afterwards.
            #expect(try await browser.get("/home").status == .seeOther)
            let sent = try await browser.post(path + "/notes", ["note": Self.note])
            #expect(sent.status == .seeOther)
            let location = try #require(sent.location)
            #expect(location.hasPrefix("/sign-in?expired=1&kept=1&next="))
            #expect(try await CaseNote.query(on: env.db).count() == 0)
            #expect(try await KeptForm.query(on: env.db).count() == 1)
            #expect(!(try await RawDatabase.allText(env)).contains("safe time to call"), "a kept form is sealed")
            #expect(try await browser.get(location).body.string.contains("What you sent has been kept"))

            // Signing in leads to it, with the note in a box to check and send.
            let signIn = try await browser.post("/sign-in", ["email": DemoData.email(for: .caseworker), "password": testPassword,
                                                            "next": String(location.split(separator: "next=")[1]).removingPercentEncoding!])
            let keptPath = try #require(signIn.location)
            #expect(keptPath.hasPrefix("/kept-forms/"))
            let page = try await browser.get(keptPath)
            #expect(page.status == .ok)
            #expect(page.body.string.contains("safe time to call"))
            #expect(page.body.string.contains("action=\"\(path)/notes\""))

            let keptID = String(keptPath.dropFirst("/kept-forms/".count))
            let sentOn = try await browser.post(path + "/notes", ["note": Self.note, "_kept": keptID])
            #expect(sentOn.status == .seeOther)
            #expect(try await CaseNote.query(on: env.db).count() == 1)
            #expect(try await KeptForm.query(on: env.db).count() == 0, "a kept form goes once it is sent on")
            #expect(try await AuditEntry.query(on: env.db).filter(\.$entityType == "KeptForm").filter(\.$action == "create").count() == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aKeptFormIsItsSendersAloneAndRunsOutAfterAnHour(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let caseworker = try env.browser()
            try await caseworker.signIn(as: .caseworker)
            let c = try await CasesTests.openCase(caseworker, env, CasesTests.person("Maria", "Popescu", age: "adult"))
            env.clock.advance(by: 31 * 60)
            let sent = try await caseworker.post("/cases/\(c.id!.uuidString)/notes", ["note": "kept"])
            #expect(sent.location?.contains("kept=1") == true)
            let kept = try #require(try await KeptForm.query(on: env.db).first())

            let lead = try env.browser()
            try await lead.signIn(as: .safeguardingLead)
            #expect(try await lead.get("/kept-forms/\(kept.id!.uuidString)").status == .notFound)
            #expect(try await lead.post("/kept-forms/\(kept.id!.uuidString)/discard", [:]).status == .notFound)

            env.clock.advance(by: 61 * 60)
            try await Housekeeping.runOnce(env.app)
            #expect(try await KeptForm.query(on: env.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func onlyAFormFromTheExpiredSessionsOwnPageIsKept(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .caseworker)
            let c = try await CasesTests.openCase(browser, env, CasesTests.person("Maria", "Popescu", age: "adult"))
            env.clock.advance(by: 31 * 60)
            // A form carrying another token (a forged one) is refused as before, and nothing is kept.
            let forged = try await browser.post("/cases/\(c.id!.uuidString)/notes", ["note": "forged"], csrf: "not-the-token")
            #expect(forged.status == .forbidden)
            // Uploads are not kept (files are too large to hold): the person is sent to sign in, and nothing is stored.
            let upload = try await browser.postFile("/cases/\(c.id!.uuidString)/files", fields: ["description": "payslip"], fileField: "files[]",
                                                    filename: "a.txt", contents: Data("x".utf8))
            #expect(upload.status == .seeOther && upload.location?.contains("expired=1") == true)
            #expect(try await KeptForm.query(on: env.db).count() == 0)
            #expect(try await EvidenceFile.query(on: env.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func askingHowLongIsLeftDoesNotExtendTheSessionButStayingSignedInDoes(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .caseworker)
            env.clock.advance(by: 28 * 60)
            let left = try await browser.get("/session/remaining", accept: "application/json")
            #expect(left.body.string == #"{"seconds":120}"#)
            env.clock.advance(by: 60)
            #expect(try await browser.get("/session/remaining", accept: "application/json").body.string == #"{"seconds":60}"#)
            let kept = try await browser.send(.POST, "/session/keep-alive", headers: ["Accept": "application/json", "X-CSRF-Token": browser.csrf ?? ""])
            #expect(kept.body.string == #"{"seconds":1800}"#)
            env.clock.advance(by: 29 * 60)
            #expect(try await browser.get("/home").status == .ok)
            env.clock.advance(by: 31 * 60)
            #expect(try await browser.get("/session/remaining", accept: "application/json").status == .unauthorized)
        }
    }
}
