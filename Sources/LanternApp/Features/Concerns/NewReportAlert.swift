import Fluent
import Foundation
import LanternCore
import Vapor

/// Tells every safeguarding lead by email that a report arrived through the public form, in the
/// transaction that stores it. The email says only that: no reference, no words from the report,
/// nothing of who sent it (issue 22, item 4). A safeguarding alert, so nobody can turn it off.
enum NewReportAlert {
    static func queue(on db: any Database, app: Application, now: Date) async throws {
        let leads = try await User.query(on: db).filter(\.$role == .safeguardingLead).filter(\.$isActive == true)
            .filter(\.$passwordHash != nil).sort(\.$email).all()
        let link = Mailbox.link(app, "/concerns")
        for lead in leads where lead.roleApproved != false {
            try await Mailbox.enqueue(MailMessage(to: lead.email, subject: "A new report was received in Lantern", body: """
                A new report was received through Lantern's public reporting form.

                Sign in to Lantern to read it:

                \(link)
                """), kind: "new-report", on: db, cipher: app.lantern.cipher, now: now)
        }
    }
}
