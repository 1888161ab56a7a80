import Fluent
import Foundation
import LanternCore
import Vapor

/// Synthetic, clearly fictitious concerns and cases for capacity tests: encrypted exactly as
/// real records are, spread over teams, owners, ages and years, so list and page timings are
/// measured against realistic indexes and record sizes.
public enum CapacityData {
    public struct Report: Sendable { public var concerns: Int; public var cases: Int; public var ownedByCaseworker: Int }

    public static func generate(on app: Application, cases: Int, concerns: Int) async throws -> Report {
        let cipher = app.lantern.cipher
        let db = app.db
        let teams = try await Team.query(on: db).all()
        let caseworker = try await User.query(on: db).filter(\.$role == .caseworker).first()
        let childrens = teams.first { $0.name == ConcernRoute.childrensSafeguarding.teamName }?.id
        let adults = teams.first { $0.name == ConcernRoute.adultSafeguarding.teamName }?.id
        let now = app.lantern.now()
        var rng = SystemRandomNumberGenerator()
        let firstNames = ["Ana", "Tomasz", "Eva", "Jayden", "Ioana", "Minh", "Fatima", "Daniel", "Grace", "Arben"]
        let types = ExploitationType.allCases
        let nationalities = ["British", "Albanian", "Vietnamese", "Eritrean", "Romanian", "Sudanese", "Polish", "Unknown"]
        var report = Report(concerns: 0, cases: 0, ownedByCaseworker: 0)

        let concernColumns = ["id", "reference", "channel", "status", "received_at", "acknowledge_by", "subject_kind", "age_category",
                              "child_involved", "immediate_danger", "routes", "team_id", "wrapped_key", "sealed", "updated_at"]
        var batch: [[any Encodable & Sendable]] = []
        var links: [[any Encodable & Sendable]] = []
        for i in 0..<concerns {
            let child = i % 3 == 0
            let received = now.addingTimeInterval(-Double(Int.random(in: 0..<(3 * 365 * 86_400), using: &rng)))
            let route: ConcernRoute = child ? .childrensSafeguarding : .adultSafeguarding
            let id = UUID()
            let c = Concern()
            c.id = id
            try c.seal(.init(whoAtRisk: "Synthetic person \(i)", location: "Synthetic location \(i % 500)",
                             description: "Synthetic capacity-test concern number \(i)."), with: cipher)
            batch.append([id, "LD-\(i)", ConcernChannel.allCases[i % ConcernChannel.allCases.count].rawValue,
                          (i % 10 == 0 ? ConcernStatus.received : .closed).rawValue, received,
                          ConcernRules.acknowledgeBy(received: Day(received)).iso, ConcernSubject.person.rawValue,
                          (child ? AgeCategory.under18 : .adult).rawValue, (child ? Answer.yes : .no).rawValue, false, route.rawValue,
                          child ? childrens : adults, c.wrappedKey, c.sealed, now])
            links.append([UUID(), id, route.rawValue, child ? childrens : adults])
            if batch.count == 2000 || i == concerns - 1 {
                let rows = batch, teamRows = links
                try await db.writeTransaction { tx in
                    try await BulkInsert.run(on: tx, into: Concern.schema, columns: concernColumns, rows: rows)
                    try await BulkInsert.run(on: tx, into: ConcernTeam.schema, columns: ["id", "concern_id", "route", "team_id"], rows: teamRows)
                }
                report.concerns += rows.count
                batch.removeAll(keepingCapacity: true)
                links.removeAll(keepingCapacity: true)
            }
        }

        let caseColumns = ["id", "reference", "owner_id", "team_id", "status", "opened_at", "age_category", "under18_at_exploitation", "gender",
                           "nationality", "exploitation_types", "county_lines", "exploitation_location", "willing_to_cooperate",
                           "next_deadline", "wrapped_key", "sealed", "updated_at"]
        let notificationColumns = ["id", "case_id", "kind", "state", "started_on", "submitted_on", "rg_decision_on", "cg_decision_on",
                                   "combined_decision", "anonymous", "rg_positive", "cg_positive", "wrapped_key", "sealed"]
        var notifications: [[any Encodable & Sendable]] = []
        let today = Day(now)
        for i in 0..<cases {
            let child = i % 2 == 0
            // One case in fifty belongs to the demo caseworker; the rest to colleagues in the same two teams.
            let owner: UUID? = i % 50 == 0 ? caseworker?.id : nil
            if owner != nil { report.ownedByCaseworker += 1 }
            let opened = now.addingTimeInterval(-Double(Int.random(in: 0..<(3 * 365 * 86_400), using: &rng)))
            let id = UUID()
            let c = SafeguardingCase()
            c.id = id
            try c.seal(.init(firstName: firstNames[i % firstNames.count], lastName: "Synthetic\(i)",
                             exploitationSummary: "Synthetic capacity-test case number \(i)."), with: cipher)
            let typeList = [types[i % types.count], types[(i / 7) % types.count]].map(\.rawValue)
            batch.append([id, "LD-CASE-\(i)", owner, child ? childrens : adults, i % 4 == 0 ? "open" : "closed", opened,
                          (child ? AgeCategory.under18 : .adult).rawValue, (child ? Answer.yes : .no).rawValue,
                          RecordedGender.allCases[i % 3].rawValue, nationalities[i % nationalities.count],
                          Array(Set(typeList)).sorted().joined(separator: ","), i % 11 == 0, ExploitationLocation.uk.rawValue, false,
                          i % 4 == 0 && i % 13 == 0 ? Day(now).adding(days: i % 20 - 10).iso : nil, c.wrappedKey, c.sealed, now])
            // Two cases in five have a referral: an NRM referral (decided after 0 to 29 days, one
            // in ten negative, half of the positive ones concluded) or a Duty to Notify.
            if i % 5 < 2 {
                let nrm = i % 5 == 0
                let submitted = Day(opened).adding(days: 3)
                let rg = submitted.adding(days: i % 30), cg = rg.adding(days: 60 + i % 300)
                let rgDecided = nrm && rg <= today, cgDecided = rgDecided && i % 10 != 0 && i % 2 == 0 && cg <= today
                let n = HomeOfficeReferral()
                n.id = UUID()
                try n.seal(.init(homeOfficeReference: "SYN-\(i)"), with: cipher)
                let state: NRMState = !nrm ? .submitted : cgDecided ? .moveOn : rgDecided ? (i % 10 == 0 ? .rgNegative : .recoveryPeriod) : .awaitingRG
                notifications.append([n.id!, id, (nrm ? NotificationKind.nrm : .dutyToNotify).rawValue, state.rawValue, submitted.iso, submitted.iso,
                                      rgDecided ? rg.iso : nil, cgDecided ? cg.iso : nil, false, false,
                                      rgDecided ? i % 10 != 0 : nil, cgDecided ? i % 7 != 0 : nil, n.wrappedKey, n.sealed])
            }
            if batch.count == 2000 || i == cases - 1 {
                let rows = batch, referrals = notifications
                try await db.writeTransaction { tx in
                    try await BulkInsert.run(on: tx, into: SafeguardingCase.schema, columns: caseColumns, rows: rows)
                    try await BulkInsert.run(on: tx, into: HomeOfficeReferral.schema, columns: notificationColumns, rows: referrals)
                }
                report.cases += rows.count
                batch.removeAll(keepingCapacity: true)
                notifications.removeAll(keepingCapacity: true)
            }
        }
        try await DatabaseSetup.afterBulkLoad(db, tables: [Concern.schema, ConcernTeam.schema, SafeguardingCase.schema, HomeOfficeReferral.schema])
        return report
    }
}
