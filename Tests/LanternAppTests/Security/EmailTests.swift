import Fluent
import Foundation
import LanternCore
import NIOConcurrencyHelpers
import Testing
import VaporTesting
@testable import LanternApp

/// Records what would have been sent; can be told to fail, as a mail server that is down.
final class RecordingMailTransport: MailTransport, Sendable {
    private let state = NIOLockedValueBox<(sent: [MailMessage], failing: Bool)>(([], false))
    var sent: [MailMessage] { state.withLockedValue { $0.sent } }
    func fail(_ failing: Bool) { state.withLockedValue { $0.failing = failing } }
    struct Down: Error {}

    func deliver(_ message: MailMessage, from sender: String, id: UUID, date: Date) async throws {
        try state.withLockedValue { state in
            if state.failing { throw Down() }
            state.sent.append(message)
        }
    }
}

/// The email queue, password reset by email, invitations, the new-report alert and the daily
/// email of what is due (issue 22, items 3 and 4), against a transport that records.
@Suite("Email")
struct EmailTests {
    static func recording(_ env: TestEnvironment) -> RecordingMailTransport {
        let transport = RecordingMailTransport()
        env.app.mailTransport = transport
        return transport
    }

    static func path(ofLinkIn body: String) throws -> String {
        let line = try #require(body.split(separator: "\n").first { $0.hasPrefix("http") })
        return String(line.drop { $0 != "/" }.dropFirst(2).drop { $0 != "/" })
    }

    @Test(arguments: TestDatabase.available)
    func aResetLinkWorksOnceForThirtyMinutesAndEndsEverySession(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let mail = Self.recording(env)
            let signedIn = try env.browser()
            try await signedIn.signIn(as: .auditor)
            let visitor = try env.browser()
            try await visitor.get("/sign-in/forgotten-password")
            let known = try await visitor.post("/sign-in/forgotten-password", ["email": DemoData.email(for: .auditor).uppercased()])
            let unknown = try await visitor.post("/sign-in/forgotten-password", ["email": "nobody@example.org"])
            // The same answer either way.
            #expect(known.status == .ok && unknown.status == .ok)
            #expect(known.body.string.replacingOccurrences(of: DemoData.email(for: .auditor), with: "X")
                .replacingOccurrences(of: "name=\"_csrf\" value=\"[^\"]*\"", with: "", options: .regularExpression)
                == unknown.body.string.replacingOccurrences(of: "nobody@example.org", with: "X")
                .replacingOccurrences(of: "name=\"_csrf\" value=\"[^\"]*\"", with: "", options: .regularExpression))
            // Asked again at once: no second email.
            try await visitor.post("/sign-in/forgotten-password", ["email": DemoData.email(for: .auditor)])
            #expect(try await Mailbox.deliverDue(env.app) == 1)
            let message = try #require(mail.sent.first)
            #expect(message.to == DemoData.email(for: .auditor) && message.subject == "Reset your Lantern password")
            let link = try Self.path(ofLinkIn: message.body)
            #expect(link.hasPrefix("/sign-in/reset/"))
            // Only the link's digest is stored.
            #expect(!(try await RawDatabase.allText(env)).contains(String(link.dropFirst("/sign-in/reset/".count))))

            #expect(try await visitor.get(link).status == .ok)
            let weak = try await visitor.post(link, ["newPassword": "short", "confirmPassword": "short"])
            #expect(weak.status == .unprocessableEntity)
            let done = try await visitor.post(link, ["newPassword": "a new long passphrase 2026", "confirmPassword": "a new long passphrase 2026"])
            #expect(done.location == "/sign-in")
            #expect(try await signedIn.get("/audit").status == .seeOther, "every session ended")
            #expect(try await visitor.get(link).status == .gone, "used once")
            let again = try env.browser()
            #expect(try await again.signIn(as: .auditor, password: "a new long passphrase 2026").location == "/home")

            // A new link lapses after 30 minutes.
            env.clock.advance(by: PasswordResetController.quietPeriod)
            try await visitor.post("/sign-in/forgotten-password", ["email": DemoData.email(for: .auditor)])
            try await Mailbox.deliverDue(env.app)
            let second = try Self.path(ofLinkIn: try #require(mail.sent.last).body)
            env.clock.advance(by: PasswordResetController.linkLifetime + 1)
            #expect(try await visitor.get(second).status == .gone)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aMessageIsKeptWhileTheServerIsDownAndSentOnceItIsBack(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let mail = Self.recording(env)
            mail.fail(true)
            try await Mailbox.enqueue(MailMessage(to: "a@example.org", subject: "One", body: "x"), kind: "test", on: env.db, cipher: env.app.lantern.cipher, now: env.clock.now())
            #expect(try await Mailbox.deliverDue(env.app) == 0)
            var queued = try #require(try await OutgoingMail.query(on: env.db).first())
            #expect(queued.sentAt == nil && queued.attempts == 1 && queued.lastError != nil)
            #expect(queued.nextAttemptAt == env.clock.now().addingTimeInterval(Mailbox.firstRetry))
            // Still down at the next try: the wait doubles.
            env.clock.advance(by: Mailbox.firstRetry)
            try await Mailbox.deliverDue(env.app)
            queued = try #require(try await OutgoingMail.query(on: env.db).first())
            #expect(queued.attempts == 2 && queued.nextAttemptAt == env.clock.now().addingTimeInterval(2 * Mailbox.firstRetry))
            // Back up, but not yet time: nothing is sent early.
            mail.fail(false)
            #expect(try await Mailbox.deliverDue(env.app) == 0)
            env.clock.advance(by: 2 * Mailbox.firstRetry)
            #expect(try await Mailbox.deliverDue(env.app) == 1)
            #expect(try await Mailbox.deliverDue(env.app) == 0)
            #expect(mail.sent.map(\.subject) == ["One"])
            #expect(try await OutgoingMail.query(on: env.db).first()?.sentAt != nil)
        }
    }

    @Test(arguments: TestDatabase.available)
    func safeguardingLeadsAreToldOfAPublicReportAndNothingOfIt(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let mail = Self.recording(env)
            _ = try await ConcernsTests.reportAnonymously(try env.browser())
            try await Mailbox.deliverDue(env.app)
            let concern = try #require(try await Concern.query(on: env.db).filter(\.$receiptHash != nil).first())
            #expect(mail.sent.map(\.to) == [DemoData.email(for: .safeguardingLead)])
            let message = try #require(mail.sent.first)
            #expect(message.subject == "A new report was received in Lantern")
            for secret in [concern.reference, "Tomasz", "Mill Lane", "car wash", "school"] {
                #expect(!message.body.lowercased().contains(secret.lowercased()) && !message.subject.lowercased().contains(secret.lowercased()))
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func theDailyEmailCountsWhatIsDueOncePerDayForThoseWhoWantIt(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let mail = Self.recording(env)
            let (caseworker, c) = try await PrivacyTests.openCase(env, first: "Olga", last: "Marin")
            let today = Day(env.clock.now())
            let person = try #require(try await User.query(on: env.db).filter(\.$email == DemoData.email(for: .caseworker)).first())
            func tasksDue() async throws -> Int {
                try await DailyDigest.lines(for: person, on: env.db, today: today).first { $0.what.hasPrefix("case task") }?.count ?? 0
            }
            let before = try await tasksDue()
            #expect(try await caseworker.post("/cases/\(c.id!.uuidString)/tasks", ["title": "Call Olga's support worker", "due_on": today.adding(days: 2).iso]).status == .seeOther)
            #expect(try await caseworker.post("/cases/\(c.id!.uuidString)/tasks", ["title": "Far off", "due_on": today.adding(days: 40).iso]).status == .seeOther)
            try await DailyDigest.queue(env.app, today: today)
            try await DailyDigest.queue(env.app, today: today)
            try await Mailbox.deliverDue(env.app)
            let message = try #require(mail.sent.first { $0.to == DemoData.email(for: .caseworker) })
            #expect(mail.sent.filter { $0.to == DemoData.email(for: .caseworker) }.count == 1, "once a day")
            // The task due in two days is counted; the one in forty days is not.
            #expect(try await tasksDue() == before + 1)
            #expect(message.body.contains("- \(before + 1) case task"))
            for secret in [c.reference, "Olga", "Marin", "support worker"] { #expect(!message.body.contains(secret) && !message.subject.contains(secret)) }

            // Turned off: no email the next day.
            try await caseworker.get("/account/email")
            #expect(try await caseworker.post("/account/email", [:]).status == .seeOther)
            let sentBefore = mail.sent.count
            try await DailyDigest.queue(env.app, today: today.adding(days: 1))
            try await Mailbox.deliverDue(env.app)
            #expect(!mail.sent.dropFirst(sentBefore).contains { $0.to == DemoData.email(for: .caseworker) })
        }
    }

    @Test(arguments: TestDatabase.available)
    func anInvitationIsEmailedWithItsLink(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let mail = Self.recording(env)
            let admin = try env.browser()
            try await admin.signIn(as: .administrator)
            try await admin.get("/admin/users/invite")
            let page = try await admin.post("/admin/users/invite", ["displayName": "Sam Okafor", "email": "sam.okafor@example.gov.uk", "role": "training_manager", "teamID": ""])
            #expect(page.status == .ok)
            try await Mailbox.deliverDue(env.app)
            let message = try #require(mail.sent.first { $0.to == "sam.okafor@example.gov.uk" })
            let link = try Self.path(ofLinkIn: message.body)
            #expect(link.hasPrefix("/invitations/") && page.body.string.contains(link))
        }
    }

    @Test func theSettingsAreReadFromTheEnvironmentAndRefuseAPasswordInClear() throws {
        let base = "http://127.0.0.1:8080"
        #expect(try MailConfiguration.fromEnvironment([:], defaultPublicURL: base).isConfigured == false)
        let mail = try MailConfiguration.fromEnvironment(["LANTERN_SMTP_HOST": "relay.example.gov.uk", "LANTERN_SMTP_USERNAME": "lantern",
                                                          "LANTERN_SMTP_PASSWORD": "secret", "LANTERN_PUBLIC_URL": "https://lantern.example.gov.uk/",
                                                          "LANTERN_MAIL_FROM": "lantern@example.gov.uk"], defaultPublicURL: base)
        #expect(mail.smtp == SMTPSettings(host: "relay.example.gov.uk", port: 587, security: .startTLS, username: "lantern", password: "secret"))
        #expect(mail.publicURL == "https://lantern.example.gov.uk" && mail.sender == "lantern@example.gov.uk")
        #expect(try MailConfiguration.fromEnvironment(["LANTERN_SMTP_HOST": "h", "LANTERN_SMTP_SECURITY": "tls"], defaultPublicURL: base).smtp?.port == 465)
        for bad in [["LANTERN_SMTP_HOST": "h", "LANTERN_SMTP_SECURITY": "none", "LANTERN_SMTP_USERNAME": "u", "LANTERN_SMTP_PASSWORD": "p"],
                    ["LANTERN_SMTP_HOST": "h", "LANTERN_SMTP_USERNAME": "u"],
                    ["LANTERN_SMTP_HOST": "h", "LANTERN_SMTP_PORT": "99999"],
                    ["LANTERN_SMTP_HOST": "h", "LANTERN_SMTP_SECURITY": "ssl3"],
                    ["LANTERN_PUBLIC_URL": "lantern.example.gov.uk"],
                    ["LANTERN_MAIL_FROM": "not an address"]] {
            #expect(throws: MailConfiguration.Problem.self, "\(bad)") { try MailConfiguration.fromEnvironment(bad, defaultPublicURL: base) }
        }
    }

    @Test func theWireFormatCannotBeBrokenByWhatAMessageHolds() {
        let message = MailMessage(to: "a@example.org", subject: "Due\r\nBcc: victim@example.org", body: ".\nA line with a dot\n.hidden\nCafé £5")
        let wire = MailFormat.render(message, from: "lantern@example.org", id: UUID(), host: "lantern.test", date: Date(timeIntervalSince1970: 0))
        #expect(wire.contains("Subject: Due  Bcc: victim@example.org\r\n"), "a header cannot be added through the subject")
        #expect(!wire.contains("\r\n.\r\n"), "a lone dot cannot end the message early")
        #expect(wire.contains("\r\n..\r\n") && wire.contains("\r\n..hidden\r\n"))
        #expect(wire.contains("Caf=C3=A9 =C2=A35"))
        #expect(wire.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000"))
        #expect(throws: SMTPTransport.Failure.self) { try SMTPTransport.address("a@example.org>\r\nRCPT TO:<b@example.org") }
    }
}
