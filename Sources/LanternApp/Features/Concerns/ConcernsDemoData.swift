import Fluent
import Foundation
import LanternCore
import Vapor

/// The demo organisation's concerns: two waiting for acknowledgement, and a child's concern a
/// case was opened from, whose id it returns for that case.
enum ConcernsDemoData {
    static func seed(on db: any Database, app: Application, teams: [String: UUID], now: Date) async throws -> UUID? {
        let today = Day(now)
        let cipher = app.lantern.cipher
        func concern(_ channel: ConcernChannel, age: AgeCategory?, child: Answer, subject: ConcernSubject = .person,
                     daysAgo: Int, status: ConcernStatus, secrets: Concern.Secrets) async throws -> Concern {
            let facts = ConcernRules.Facts(age: age, childInvolved: child, indicatorIDs: Set(secrets.indicators.map(\.indicatorID)), subject: subject)
            let routes = ConcernRules.routes(for: facts)
            let c = Concern()
            c.reference = RecordReference.random(prefix: "MS", year: today.adding(days: -daysAgo).year)
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
        return try await concern(.partnerAgency, age: .under18, child: .yes, daysAgo: 12, status: .caseOpened, secrets: .init(
            whoAtRisk: "A 15-year-old boy", location: "Town centre", description: "School reports repeated missing episodes and a new phone and trainers.",
            indicators: [.init(indicatorID: "criminal.missing", source: .thirdParty), .init(indicatorID: "criminal.extra_phones", source: .thirdParty)],
            triageRationale: "Signs of county lines exploitation; child.")).id
    }
}
