import Fluent
import Foundation
import LanternCore
import Vapor

/// The demo organisation's cases: a child referred to the NRM and awaiting the Reasonable
/// Grounds decision, and an adult who declined the NRM (a Duty to Notify).
enum SafeguardingDemoData {
    /// `childConcernID`: the demo concern the child's case was opened from.
    static func seed(on db: any Database, app: Application, teams: [String: UUID], users: [Role: User], childConcernID: UUID?, now: Date) async throws {
        let today = Day(now)
        let cipher = app.lantern.cipher
        let caseworker = users[.caseworker]!, lead = users[.safeguardingLead]!
        func openCase(concernID: UUID?, owner: User, team: String, age: AgeCategory, gender: RecordedGender, nationality: String,
                      types: [ExploitationType], countyLines: Bool, consent: ConsentDecision?, daysAgo: Int,
                      secrets: SafeguardingCase.Secrets) async throws -> SafeguardingCase {
            let c = SafeguardingCase()
            c.reference = RecordReference.random(prefix: "CASE", year: today.adding(days: -daysAgo).year)
            c.concernID = concernID
            c.$owner.id = owner.id
            c.$team.id = teams[team]
            c.status = .open
            c.openedAt = today.adding(days: -daysAgo).noon
            c.age = age
            c.under18AtExploitation = age == .under18 ? .yes : .no
            c.gender = gender
            c.nationality = nationality
            c.exploitationTypes = types.map(\.rawValue).joined(separator: ",")
            c.countyLines = countyLines
            c.location = .uk
            c.nrmConsent = consent
            c.willingToCooperate = false
            try c.seal(secrets, with: cipher)
            try await c.create(on: db)
            return c
        }
        let child = try await openCase(concernID: childConcernID, owner: caseworker, team: "Children's Social Care", age: .under18, gender: .male,
                                       nationality: "British", types: [.forcedCrime], countyLines: true, consent: nil, daysAgo: 10, secrets: .init(
            firstName: "Jayden", lastName: "Demo", dateOfBirth: today.adding(months: -15 * 12 - 4).iso,
            exploitationSummary: "Carrying drugs between the town and the coast for an older group.", ukTowns: "Lantern Demo Borough; Seaport"))
        let referral = HomeOfficeReferral()
        referral.$safeguardingCase.id = child.id!
        referral.kind = .nrm
        referral.state = .awaitingRG
        referral.startedOn = today.adding(days: -9).iso
        referral.submittedOn = today.adding(days: -8).iso
        referral.combinedDecision = false
        referral.anonymous = false
        try referral.seal(.init(homeOfficeReference: "NRM-DEMO-0001"), with: cipher)
        try await referral.create(on: db)
        for (from, to, day) in [(NRMState.draft, NRMState.submitted, -8), (.submitted, .awaitingRG, -8)] {
            let t = HomeOfficeReferralTransition()
            t.$notification.id = referral.id!
            t.from = from
            t.to = to
            t.onDay = today.adding(days: day).iso
            t.recordedAt = today.adding(days: day).noon
            t.recordedBy = caseworker.id!
            try t.seal("", with: cipher)
            try await t.create(on: db)
        }
        let task = CaseTask()
        task.$safeguardingCase.id = child.id!
        task.assigneeID = caseworker.id
        task.dueOn = today.adding(days: 2).iso
        task.createdAt = now
        try task.seal("Strategy meeting with the police and the school", with: cipher)
        try await task.create(on: db)
        try await CaseDeadlines.refresh(child, on: db, today: today)

        let adult = try await openCase(concernID: nil, owner: lead, team: "Adult Social Care", age: .adult, gender: .female, nationality: "Romanian",
                                       types: [.forcedToWork, .wagesTaken], countyLines: false, consent: .refused, daysAgo: 20, secrets: .init(
            firstName: "Ioana", lastName: "Demo", exploitationSummary: "Worked in a warehouse through an agency that kept her wages.", ukTowns: "Lantern Demo Borough"))
        let consent = CaseConsent()
        consent.$safeguardingCase.id = adult.id!
        consent.purpose = "nrm"
        consent.decision = .refused
        consent.wordingVersion = CaseRecordsController.consentWordingVersion
        consent.method = "via_interpreter"
        consent.givenOn = today.adding(days: -19).iso
        consent.recordedBy = lead.id!
        consent.recordedAt = today.adding(days: -19).noon
        try await consent.create(on: db)
        let dtn = HomeOfficeReferral()
        dtn.$safeguardingCase.id = adult.id!
        dtn.kind = .dutyToNotify
        dtn.state = .submitted
        dtn.startedOn = today.adding(days: -18).iso
        dtn.submittedOn = today.adding(days: -18).iso
        dtn.combinedDecision = false
        dtn.anonymous = true
        try dtn.seal(.init(), with: cipher)
        try await dtn.create(on: db)
    }
}
