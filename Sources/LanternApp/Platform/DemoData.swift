import Fluent
import Foundation
import LanternCore
import Vapor

/// The demo organisation: a council with the standard teams and one person per role.
/// Created only in demo mode, only into an empty database.
public enum DemoData {
    public static let emailDomain = "demo.lantern.example"

    public static func email(for role: Role) -> String {
        "\(role.rawValue.replacingOccurrences(of: "_", with: "."))@\(emailDomain)"
    }

    static let names: [Role: (String, String?, String)] = [
        .administrator: ("Alex Morgan", nil, "Systems Administrator"),
        .safeguardingLead: ("Sam Okafor", "Adult Social Care", "Safeguarding Lead"),
        .caseworker: ("Priya Shah", "Children's Social Care", "Social Worker"),
        .procurementOfficer: ("Jordan Ellis", "Procurement", "Procurement Officer"),
        .contractManager: ("Chris Walker", "Procurement", "Contract Manager"),
        .trainingManager: ("Morgan Reid", "Community Safety", "Learning and Development Manager"),
        .auditor: ("Taylor Brooks", nil, "Internal Auditor"),
        .partnershipAnalyst: ("Jamie Clarke", "Community Safety", "Partnership Analyst"),
        .dataProtectionOfficer: ("Robin Hale", nil, "Data Protection Officer"),
        .partner: ("Casey Tran", nil, "Detective Sergeant, Modern Slavery Unit"),
    ]

    /// The password every demo account gets: `LANTERN_DEMO_PASSWORD` or a fixed demo value.
    public static func password() -> String {
        Environment.get("LANTERN_DEMO_PASSWORD") ?? "lantern-demo-2026"
    }

    static func seedIfEmpty(_ app: Application) async throws {
        guard try await Organisation.query(on: app.db).count() == 0,
              try await User.query(on: app.db).count() == 0 else { return }
        // The goods list the risk model reads, when a copy is at hand (LANTERN_GOODS_LIST or the shared data folder).
        if let path = GoodsReference.demoFile, let data = FileManager.default.contents(atPath: path) {
            do { try await GoodsReference.load(data, source: (path as NSString).lastPathComponent, on: app) }
            catch { app.logger.warning("Goods list at \(path) not loaded: \(error)") }
        }
        let goods = try await GoodsReference.index(app)
        // One reading of the clock dates the whole demo, so it never straddles midnight.
        let now = app.lantern.now()
        try await app.db.writeTransaction { db in
            try await Organisation(name: "Lantern Demo Borough Council", kind: .council).create(on: db)
            var teams: [String: UUID] = [:]
            for name in Team.standardNames {
                let team = Team(name: name)
                try await team.create(on: db)
                teams[name] = team.id
            }
            let police = try await PartnershipDemoData.seedPartners(on: db, now: now)
            let hash = try await app.password.async.hash(password())
            var contractManager: User?
            var users: [Role: User] = [:]
            for role in Role.allCases {
                let (name, team, title) = names[role]!
                let user = User(email: email(for: role), displayName: name, role: role,
                                teamID: team.flatMap { teams[$0] }, jobTitle: title)
                user.passwordHash = hash
                if role == .partner { user.partnerID = police.id }
                try await user.create(on: db)
                if role == .contractManager { contractManager = user }
                users[role] = user
            }
            try await ProcurementDemoData.seed(on: db, goods: goods, assessor: contractManager, now: now)
            let childConcernID = try await ConcernsDemoData.seed(on: db, app: app, teams: teams, now: now)
            try await SafeguardingDemoData.seed(on: db, app: app, teams: teams, users: users, childConcernID: childConcernID, now: now)
            try await PartnershipDemoData.seedSharing(on: db, app: app, police: police, by: users[.safeguardingLead], now: now)
            try await TrainingDemoData.seed(on: db, users: users, now: now)
            try await PartnershipDemoData.seedReturns(on: db, police: police, by: users[.partner], now: now)
            try await ActionPlanDemoData.seed(on: db, year: FinancialYear.containing(now), author: users[.safeguardingLead], now: now)
            try await app.lantern.audit.append(on: db, actor: .system, action: .create, entity: .organisation,
                                               entityID: nil, requestID: nil, detail: "demo data", at: now)
        }
        app.logger.notice("Demo organisation created with one person per role")
    }
}
