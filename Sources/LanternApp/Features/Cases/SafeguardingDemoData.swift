import Fluent
import Foundation
import LanternCore
import Vapor

/// The demo organisation's concerns and cases: a child referred to the NRM and awaiting the
/// Reasonable Grounds decision, an adult who declined the NRM (a Duty to Notify), and concerns
/// waiting for acknowledgement, so each safeguarding page has something to show.
enum SafeguardingDemoData {
    static func seed(on db: any Database, app: Application, teams: [String: UUID], users: [Role: User], now: Date) async throws {
        let today = Day(now)
        let cipher = app.lantern.cipher
        func concern(_ channel: ConcernChannel, age: AgeCategory?, child: Answer, subject: ConcernSubject = .person,
                     daysAgo: Int, status: ConcernStatus, secrets: Concern.Secrets) async throws -> Concern {
            let facts = ConcernRules.Facts(age: age, childInvolved: child, indicatorIDs: Set(secrets.indicators.map(\.indicatorID)), subject: subject)
            let routes = ConcernRules.routes(for: facts)
            let c = Concern()
            c.reference = ConcernReference.make(prefix: "MS", year: today.adding(days: -daysAgo).year)
            c.channel = channel
            c.status = status
            c.receivedAt = today.adding(days: -daysAgo).noon
            c.acknowledgeBy = ConcernRules.acknowledgeBy(received: today.adding(days: -daysAgo)).iso
            c.subject = subject
            c.age = age
            c.childInvolved = child
            c.immediateDanger = false
            c.routes = routes.map(\.rawValue).joined(separator: ",")
            c.$team.id = routes.first.flatMap { teams[$0.teamName] }
            try c.seal(secrets, with: cipher)
            try await c.create(on: db)
            for route in routes {
                let link = ConcernTeam()
                link.$concern.id = c.id!
                link.route = route
                link.$team.id = teams[route.teamName]
                try await link.create(on: db)
            }
            return c
        }
        _ = try await concern(.publicAnonymous, age: nil, child: .notSure, daysAgo: 9, status: .received, secrets: .init(
            location: "Hand car wash, Canal Street", description: "Young-looking workers sleep in a caravan behind the car wash and are collected by van at 6am.",
            indicators: [.init(indicatorID: "labour.lives_at_work", source: .thirdParty), .init(indicatorID: "labour.accompanied", source: .thirdParty)]))
        _ = try await concern(.staff, age: .adult, child: .no, daysAgo: 2, status: .received, secrets: .init(
            whoAtRisk: "A tenant's lodger, a man in his 30s", location: "Flat 4, Alder Court", postcode: "LD1 4QT",
            description: "Housing officer visit: several men living in a two-bedroom flat; one said his wages go to 'the boss'.",
            indicators: [.init(indicatorID: "labour.overcrowding", source: .observed), .init(indicatorID: "general.no_earnings_access", source: .disclosed)]))
        let childConcern = try await concern(.partnerAgency, age: .under18, child: .yes, daysAgo: 12, status: .caseOpened, secrets: .init(
            whoAtRisk: "A 15-year-old boy", location: "Town centre", description: "School reports repeated missing episodes and a new phone and trainers.",
            indicators: [.init(indicatorID: "criminal.missing", source: .thirdParty), .init(indicatorID: "criminal.extra_phones", source: .thirdParty)],
            triageRationale: "Signs of county lines exploitation; child."))

        let caseworker = users[.caseworker]!, lead = users[.safeguardingLead]!
        func openCase(concernID: UUID?, owner: User, team: String, age: AgeCategory, gender: RecordedGender, nationality: String,
                      types: [ExploitationType], countyLines: Bool, consent: ConsentDecision?, daysAgo: Int,
                      secrets: SafeguardingCase.Secrets) async throws -> SafeguardingCase {
            let c = SafeguardingCase()
            c.reference = ConcernReference.make(prefix: "CASE", year: today.adding(days: -daysAgo).year)
            c.concernID = concernID
            c.$owner.id = owner.id
            c.$team.id = teams[team]
            c.status = "open"
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
        let child = try await openCase(concernID: childConcern.id, owner: caseworker, team: "Children's Social Care", age: .under18, gender: .male,
                                       nationality: "British", types: [.forcedCrime], countyLines: true, consent: nil, daysAgo: 10, secrets: .init(
            firstName: "Jayden", lastName: "Demo", dateOfBirth: today.adding(months: -15 * 12 - 4).iso,
            exploitationSummary: "Carrying drugs between the town and the coast for an older group.", ukTowns: "Lantern Demo Borough; Seaport"))
        let referral = Notification()
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
            let t = NotificationTransition()
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
        let dtn = Notification()
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
