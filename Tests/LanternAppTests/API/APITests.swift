import Fluent
import Foundation
import LanternAPI
import LanternCore
import Testing
import Vapor
import VaporTesting
@testable import LanternApp

/// The API: tokens, the same access rules as the pages, problems, limits and the audit.
@Suite("JSON API")
struct APITests {
    /// A token for the demo person in `role`, holding `scopes` (all the role holds if nil).
    static func token(_ env: TestEnvironment, _ role: Role, scopes: [Permission]? = nil, calls: Int = 6000) async throws -> String {
        let owner = try #require(try await User.query(on: env.db).filter(\.$email == DemoData.email(for: role)).first())
        let (token, text) = APIToken.issue(owner: owner, name: "test", scopes: scopes ?? Array(PermissionMatrix.permissions(of: role)),
                                           days: 30, callsPerMinute: calls, by: nil, now: env.clock.now())
        try await token.create(on: env.db)
        return text
    }

    static func call(_ env: TestEnvironment, _ method: HTTPMethod, _ path: String, token: String?, json: String? = nil,
                     cookies: Browser? = nil) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let token { headers.add(name: .authorization, value: "Bearer \(token)") }
        var body: ByteBuffer?
        if let json { headers.add(name: .contentType, value: "application/json"); body = ByteBuffer(string: json) }
        if let browser = cookies { return try await browser.send(method, path, headers: headers, body: body) }
        return try await env.browser().send(method, path, headers: headers, body: body)
    }

    static func object(_ response: TestingHTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    /// The permission each operation needs; every API route must be here, so a new operation
    /// cannot skip the walk below.
    static let operations: [(method: HTTPMethod, path: String, body: String?, permission: Permission)] = [
        (.GET, "/api/v1/suppliers", nil, .viewSuppliers),
        (.POST, "/api/v1/suppliers", #"{"name":""}"#, .editSuppliers),
        (.POST, "/api/v1/suppliers/bulk", #"{"suppliers":[]}"#, .editSuppliers),
        (.GET, "/api/v1/suppliers/:supplierId", nil, .viewSuppliers),
        (.PATCH, "/api/v1/suppliers/:supplierId", "{}", .editSuppliers),
        (.GET, "/api/v1/contracts", nil, .viewContracts),
        (.POST, "/api/v1/contracts", #"{"title":""}"#, .editContracts),
        (.POST, "/api/v1/contracts/bulk", #"{"contracts":[]}"#, .editContracts),
        (.GET, "/api/v1/contracts/:contractId", nil, .viewContracts),
        (.PATCH, "/api/v1/contracts/:contractId", "{}", .editContracts),
        (.GET, "/api/v1/contracts/:contractId/risk", nil, .viewContracts),
        (.POST, "/api/v1/concerns", #"{"immediate_danger":false,"subject":"person","child_involved":"no","location":"","description":""}"#, .reportConcern),
        (.POST, "/api/v1/statement-checks", "{}", .checkStatements),
        (.GET, "/api/v1/statement-checks/:checkId", nil, .viewStatementChecks),
        (.POST, "/api/v1/training/completions", #"{"completions":[]}"#, .manageTraining),
        (.GET, "/api/v1/training/compliance", nil, .viewTraining),
        (.GET, "/api/v1/cases", nil, .viewCases),
        (.GET, "/api/v1/cases/:caseId", nil, .viewCases),
        (.GET, "/api/v1/statistics", nil, .viewPartnershipStatistics),
        (.POST, "/api/v1/data-returns", #"{"period_start":"","period_end":""}"#, .submitDataReturns),
        (.GET, "/api/v1/data-returns", nil, .submitDataReturns),
        (.GET, "/api/v1/audit-log", nil, .viewAuditLog),
    ]

    @Test(arguments: TestDatabase.available)
    func everyOperationAnswersEachScopeExactlyAsTheMatrixSays(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let routes = env.app.routes.all.filter { $0.userInfo[AnySendableHashable(RouteTag.api)] != nil }
                .map { "\($0.method.rawValue) /" + $0.path.map(\.description).joined(separator: "/") }
            let listed = Set(Self.operations.map { "\($0.method.rawValue) \($0.path)" })
            #expect(Set(routes).subtracting(["GET /api/v1/openapi.yaml"]) == listed, "every API operation is in the walk")
            for role in Role.allCases {
                // One token per scope the role holds: each opens its own operations and no others.
                for scope in PermissionMatrix.permissions(of: role).sorted(by: { $0.rawValue < $1.rawValue }) {
                    let token = try await Self.token(env, role, scopes: [scope])
                    for op in Self.operations {
                        let path = op.path.replacingOccurrences(of: ":supplierId", with: UUID().uuidString)
                            .replacingOccurrences(of: ":contractId", with: UUID().uuidString).replacingOccurrences(of: ":caseId", with: UUID().uuidString).replacingOccurrences(of: ":checkId", with: UUID().uuidString)
                        let response = try await Self.call(env, op.method, path, token: token, json: op.body)
                        let allowed = op.permission == scope
                        if allowed {
                            #expect(response.status != .forbidden && response.status.code < 500, "\(role) \(scope) \(op.method) \(op.path): \(response.status)")
                        } else {
                            #expect(response.status == .forbidden, "\(role) \(scope) must be refused \(op.method) \(op.path): \(response.status)")
                            #expect(response.headers.first(name: .contentType) == "application/problem+json")
                        }
                    }
                }
            }
            // Without a token, every operation answers 401 as a problem.
            for op in Self.operations {
                let path = op.path.replacingOccurrences(of: ":supplierId", with: UUID().uuidString)
                    .replacingOccurrences(of: ":contractId", with: UUID().uuidString).replacingOccurrences(of: ":caseId", with: UUID().uuidString).replacingOccurrences(of: ":checkId", with: UUID().uuidString)
                let response = try await Self.call(env, op.method, path, token: nil, json: op.body)
                #expect(response.status == .unauthorized, "\(op.path)")
                #expect(response.headers.first(name: .wwwAuthenticate)?.hasPrefix("Bearer") == true)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func aSignedInBrowserCannotCallTheAPIWithItsCookie(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .procurementOfficer)
            #expect(try await browser.get("/suppliers").status == .ok)
            let response = try await Self.call(env, .POST, "/api/v1/suppliers", token: nil, json: #"{"name":"Forged Ltd"}"#, cookies: browser)
            #expect(response.status == .unauthorized)
            #expect(try await Supplier.query(on: env.db).filter(\.$name == "Forged Ltd").count() == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func tokensAreShownOnceKeptAsDigestsAndNeverExceedTheRole(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .contractManager)
            try await browser.get("/account/api-tokens")
            // A scope the role does not hold is refused, with what was typed kept.
            let refused = try await browser.postPairs("/account/api-tokens", [("name", "Learning platform"), ("scopes[]", "view_cases"), ("lifetime", "90"), ("callsPerMinute", "600")])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("cannot hold more than its owner"))
            #expect(refused.body.string.contains("value=\"Learning platform\""))
            let made = try await browser.postPairs("/account/api-tokens", [("name", "E-procurement"), ("scopes[]", "view_suppliers"), ("lifetime", "30"), ("callsPerMinute", "600")])
            #expect(made.status == .ok)
            let html = made.body.string
            let start = try #require(html.range(of: "value=\"lnt_"))
            let text = "lnt_" + html[start.upperBound...].prefix { $0 != "\"" }
            #expect(APITokenText.looksValid(text))
            let stored = try #require(try await APIToken.query(on: env.db).filter(\.$name == "E-procurement").first())
            #expect(stored.digest == APITokenText.digest(text))
            let row = try await env.sql.raw("SELECT * FROM api_tokens").all()
            #expect(!"\(row)".contains(text), "the token's text is not stored")
            #expect(!(try await browser.get("/account/api-tokens")).body.string.contains(text), "shown once")

            #expect(try await Self.call(env, .GET, "/api/v1/suppliers", token: text).status == .ok)
            #expect(try await Self.call(env, .GET, "/api/v1/contracts", token: text).status == .forbidden, "a scope not given")
            // The owner's role is checked at each call: a token cannot outlive a narrower role.
            let owner = try #require(try await User.find(stored.$owner.id, on: env.db))
            owner.role = .trainingManager
            try await owner.save(on: env.db)
            #expect(try await Self.call(env, .GET, "/api/v1/suppliers", token: text).status == .forbidden)
            owner.role = .contractManager
            try await owner.save(on: env.db)

            let last = try #require(try await APIToken.find(stored.id, on: env.db)?.lastUsedAt)
            #expect(last == env.clock.now())
            // Revoked, then expired: both refused.
            let revoked = try await browser.post("/account/api-tokens/\(stored.id!.uuidString)/revoke", [:])
            #expect(revoked.status == .seeOther)
            #expect(try await Self.call(env, .GET, "/api/v1/suppliers", token: text).status == .unauthorized)
            let other = try await Self.token(env, .contractManager)
            env.clock.advance(by: 31 * 86_400)
            #expect(try await Self.call(env, .GET, "/api/v1/suppliers", token: other).status == .unauthorized)
            // Another person cannot revoke someone else's token.
            let stranger = try env.browser()
            try await stranger.signIn(as: .procurementOfficer)
            try await stranger.get("/account/api-tokens")
            #expect(try await stranger.post("/account/api-tokens/\(stored.id!.uuidString)/revoke", [:]).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.available)
    func serviceAccountsHoldNoCaseContentRoleAndCannotSignIn(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let admin = try env.browser()
            try await admin.signIn(as: .administrator)
            // The administrator's figures about people, as their home page shows them.
            func peopleFigures() async throws -> [String] {
                try await admin.get("/home").body.string.components(separatedBy: "<li class=\"figure\">").dropFirst()
                    .map { $0.components(separatedBy: "</li>")[0] }.filter { !$0.contains("Refused") }
            }
            let before = try await peopleFigures()
            try await admin.get("/admin/service-accounts")
            let refused = try await admin.post("/admin/service-accounts", ["name": "Police case system", "role": Role.caseworker.rawValue])
            #expect(refused.status == .unprocessableEntity)
            let made = try await admin.post("/admin/service-accounts", ["name": "Learning platform", "role": Role.trainingManager.rawValue])
            #expect(made.status == .seeOther)
            let account = try #require(try await User.query(on: env.db).filter(\.$displayName == "Learning platform").first())
            #expect(account.serviceAccount == true && account.passwordHash == nil)
            try await admin.get(made.location!)
            #expect(!(try await admin.get("/admin/users")).body.string.contains("Learning platform"), "not listed among people")
            #expect((try await admin.get("/admin/service-accounts")).body.string.contains("Learning platform"))
            #expect(try await peopleFigures() == before, "nor counted among people or invitations")
            try await admin.get(made.location!)
            let page = try await admin.postPairs(made.location!, [("name", "Nightly completions"), ("scopes[]", "manage_training"), ("lifetime", "365"), ("callsPerMinute", "60")])
            #expect(page.status == .ok)
            #expect(page.body.string.contains("value=\"lnt_"))
            // No one signs in as it.
            let browser = try env.browser()
            try await browser.get("/sign-in")
            #expect(try await browser.post("/sign-in", ["email": account.email, "password": ""]).status != .seeOther)
        }
    }

    @Test(arguments: TestDatabase.available)
    func casesFollowNeedToKnowAndEveryReadIsAudited(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let caseworker = try await Self.token(env, .caseworker)
            let lead = try await Self.token(env, .safeguardingLead)
            let worker = try #require(try await User.query(on: env.db).filter(\.$email == DemoData.email(for: .caseworker)).first())
            let all = try await SafeguardingCase.query(on: env.db).all()
            let theirs = Set(all.filter { NeedToKnow.mayOpen($0, worker) }.compactMap(\.id))
            let notTheirs = try #require(all.first { !theirs.contains($0.id!) }, "the demo data has cases outside the caseworker's team")

            func listed(_ token: String) async throws -> [String] {
                var ids: [String] = [], cursor: String?
                repeat {
                    let response = try await Self.call(env, .GET, "/api/v1/cases?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), token: token)
                    #expect(response.status == .ok)
                    let body = try Self.object(response)
                    ids += (body["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                    cursor = body["next_cursor"] as? String
                } while cursor != nil
                return ids
            }
            let seen = try await listed(caseworker)
            #expect(Set(seen.compactMap(UUID.init(uuidString:))) == theirs, "a caseworker's token lists their cases and no others")
            #expect(seen.count == Set(seen).count, "pages do not repeat")
            #expect(try await listed(lead).count == all.count, "a safeguarding lead's token lists every case")

            let refused = try await Self.call(env, .GET, "/api/v1/cases/\(notTheirs.id!.uuidString)", token: caseworker)
            #expect(refused.status == .notFound)
            #expect(!refused.body.string.contains(notTheirs.reference))
            #expect(try await AuditEntry.query(on: env.db).filter(\.$action == "permission_refused").filter(\.$entityID == notTheirs.id!.uuidString).count() == 1)

            let mine = try #require(theirs.first)
            let read = try await Self.call(env, .GET, "/api/v1/cases/\(mine.uuidString)", token: caseworker)
            #expect(read.status == .ok)
            #expect(try Self.object(read)["reference"] as? String != nil)
            let reads = try await AuditEntry.query(on: env.db).filter(\.$action == "read").filter(\.$entityType == "Case").filter(\.$entityID == mine.uuidString).count()
            #expect(reads == 3, "listed twice (caseworker and lead) and read once, each audited: \(reads)")
            #expect(try await AuditEntry.query(on: env.db).filter(\.$action == "api_call").count() > 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func suppliersPageByCursorAndWrongFieldsAreNamed(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let token = try await Self.token(env, .procurementOfficer)
            var names: [String] = [], cursor: String?
            repeat {
                let body = try Self.object(try await Self.call(env, .GET, "/api/v1/suppliers?limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""), token: token))
                names += (body["items"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                cursor = body["next_cursor"] as? String
            } while cursor != nil
            #expect(names.count == (try await Supplier.query(on: env.db).count()))
            #expect(names.map(OrganisationName.key) == names.map(OrganisationName.key).sorted())

            let bad = try await Self.call(env, .POST, "/api/v1/suppliers", token: token, json: #"{"name":"","company_number":"not a number","statement_url":"ftp://x"}"#)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.headers.first(name: .contentType) == "application/problem+json")
            let fields = (try Self.object(bad)["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
            #expect(Set(fields) == ["/name", "/company_number", "/statement_url"])
            #expect(try await Self.call(env, .GET, "/api/v1/suppliers?limit=0", token: token).status == .badRequest)
            #expect(try await Self.call(env, .GET, "/api/v1/suppliers?cursor=nonsense", token: token).status == .badRequest)
            #expect(try await Self.call(env, .GET, "/api/v1/suppliers?q=" + String(repeating: "a", count: 201), token: token).status == .badRequest)
            #expect(try await Self.call(env, .GET, "/api/v1/suppliers/not-an-id", token: token).status == .notFound)

            let made = try await Self.call(env, .POST, "/api/v1/suppliers", token: token, json: #"{"name":"Api Made Ltd","company_number":"AB123456","sectors":["construction"]}"#)
            #expect(made.status == .created)
            let id = try #require(try Self.object(made)["id"] as? String)
            let changed = try await Self.call(env, .PATCH, "/api/v1/suppliers/\(id)", token: token, json: #"{"address":"1 High Street"}"#)
            #expect(try Self.object(changed)["address"] as? String == "1 High Street")
            #expect(try Self.object(changed)["name"] as? String == "Api Made Ltd", "fields left out keep their values")
        }
    }

    @Test(arguments: TestDatabase.available)
    func bulkUpsertIsAllOrNothingAndMatchesByCompanyNumber(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let token = try await Self.token(env, .procurementOfficer)
            let before = try await Supplier.query(on: env.db).count()
            let wrong = try await Self.call(env, .POST, "/api/v1/suppliers/bulk", token: token, json: """
                {"suppliers":[{"name":"Good One Ltd","company_number":"11111111"},{"name":"No Number Ltd"},{"name":"","company_number":"22222222"}]}
                """)
            #expect(wrong.status == .unprocessableEntity)
            let fields = (try Self.object(wrong)["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
            #expect(fields == ["/suppliers/1/company_number", "/suppliers/2/name"])
            #expect(try await Supplier.query(on: env.db).count() == before, "nothing saved")

            let good = try await Self.call(env, .POST, "/api/v1/suppliers/bulk", token: token, json: """
                {"suppliers":[{"name":"Good One Ltd","company_number":"11111111"},{"name":"Good Two Ltd","company_number":"22222222"}]}
                """)
            #expect(try Self.object(good)["created"] as? Int == 2)
            let again = try await Self.call(env, .POST, "/api/v1/suppliers/bulk", token: token, json: """
                {"suppliers":[{"name":"Good One Renamed Ltd","company_number":"11111111"}]}
                """)
            #expect(try Self.object(again)["updated"] as? Int == 1)
            #expect(try await Supplier.query(on: env.db).filter(\.$companyNumber == "11111111").first()?.name == "Good One Renamed Ltd")

            let contracts = try await Self.call(env, .POST, "/api/v1/contracts/bulk", token: token, json: """
                {"contracts":[{"title":"Cleaning","reference":"C-1","supplier_company_number":"11111111","value":"250000"},
                              {"title":"Catering","reference":"C-2","supplier_company_number":"22222222","start_date":"2026-13-01"},
                              {"title":"Waste","reference":"C-3","supplier_company_number":"33333333"}]}
                """)
            #expect(contracts.status == .unprocessableEntity)
            let contractFields = (try Self.object(contracts)["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
            #expect(contractFields == ["/contracts/1/start_date", "/contracts/2/supplier_company_number"])
            let saved = try await Self.call(env, .POST, "/api/v1/contracts/bulk", token: token, json: """
                {"contracts":[{"title":"Cleaning","reference":"C-1","supplier_company_number":"11111111","value":"250000"}]}
                """)
            #expect(try Self.object(saved)["created"] as? Int == 1)
            let contract = try #require(try await Contract.query(on: env.db).filter(\.$reference == "C-1").first())
            #expect(contract.highValue == ((try await env.app.lantern.organisation.get(on: env.db))?.procurementPolicy.isHighValue(Money(pence: 25_000_000)) ?? false))
            let risk = try await Self.call(env, .GET, "/api/v1/contracts/\(contract.id!.uuidString)/risk", token: token)
            #expect(risk.status == .ok)
            // A second upsert changes the matched contract in place: text, number, flag, date and a cleared value.
            env.clock.advance(by: 60)
            let changed = try await Self.call(env, .POST, "/api/v1/contracts/bulk", token: token, json: """
                {"contracts":[{"title":"Cleaning, all sites","reference":"C-1","supplier_company_number":"11111111","value":"260000",
                               "business_critical":true,"end_date":"2028-03-31"}]}
                """)
            #expect(try Self.object(changed)["updated"] as? Int == 1)
            let reread = try #require(try await Contract.find(contract.id, on: env.db))
            #expect(reread.title == "Cleaning, all sites" && reread.valuePence == 26_000_000 && reread.businessCritical && reread.endDate == "2028-03-31")
            #expect(reread.updatedAt == env.clock.now() && reread.createdAt == contract.createdAt)
            #expect(try await AuditEntry.query(on: env.db).filter(\.$action == "import").count() == 4)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aTokenOverItsLimitIsToldWhenToComeBack(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let token = try await Self.token(env, .auditor, calls: 2)
            #expect(try await Self.call(env, .GET, "/api/v1/audit-log", token: token).status == .ok)
            #expect(try await Self.call(env, .GET, "/api/v1/audit-log", token: token).status == .ok)
            let third = try await Self.call(env, .GET, "/api/v1/audit-log", token: token)
            #expect(third.status == .tooManyRequests)
            let wait = try #require(third.headers.first(name: .retryAfter).flatMap(Int.init))
            #expect((1...60).contains(wait))
            env.clock.advance(by: Double(wait))
            #expect(try await Self.call(env, .GET, "/api/v1/audit-log", token: token).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.available)
    func statisticsAreThePagesFiguresAndTheDocumentIsServed(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let token = try await Self.token(env, .partnershipAnalyst)
            let response = try await Self.call(env, .GET, "/api/v1/statistics?year=2026&threshold=3", token: token)
            #expect(response.status == .ok)
            let body = try Self.object(response)
            let organisation = try await env.app.lantern.organisation.get(on: env.db)
            let current = organisation?.currentFinancialYear(now: env.clock.now()) ?? FinancialYear.containing(env.clock.now())
            let report = try await PartnershipReport.build(on: env.db, period: .financialYear(endYear: 2026, endMonth: current.endMonth, endDay: current.endDay), threshold: 3)
            #expect(body["cases"] as? String == report.cases)
            let tables = body["tables"] as? [[String: Any]] ?? []
            #expect(tables.count == report.tables.count)
            for (json, table) in zip(tables, report.tables) {
                #expect((json["rows"] as? [[String: Any]] ?? []).compactMap { $0["count"] as? String } == table.rows.map(\.count))
            }
            #expect(try await Self.call(env, .GET, "/api/v1/statistics?threshold=1", token: token).status == .badRequest)

            let document = try await Self.call(env, .GET, "/api/v1/openapi.yaml", token: nil)
            #expect(document.status == .ok)
            #expect(document.body.string.hasPrefix("openapi: 3.1.0"))
            let reference = try env.browser()
            try await reference.signIn(as: .partnershipAnalyst)
            let page = try await reference.get("/api/docs")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("/api/v1/statistics"))
            // Only the layout's own script, from Lantern itself.
            #expect(!page.body.string.contains("<script src=\"http"))
            #expect(!page.body.string.contains("//cdn"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aPartnerSystemReportsAConcernRoutedAsTheFormRoutesIt(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let admin = try env.browser()
            try await admin.signIn(as: .administrator)
            try await admin.get("/admin/service-accounts")
            let made = try await admin.post("/admin/service-accounts", ["name": "Police case system", "role": Role.trainingManager.rawValue])
            let account = try #require(try await User.query(on: env.db).filter(\.$displayName == "Police case system").first())
            #expect(made.status == .seeOther)
            let (token, text) = APIToken.issue(owner: account, name: "referrals", scopes: [.reportConcern], days: 30, callsPerMinute: 60, by: nil, now: env.clock.now())
            try await token.create(on: env.db)

            let wrong = try await Self.call(env, .POST, "/api/v1/concerns", token: text, json: """
                {"immediate_danger":false,"subject":"person","child_involved":"yes","location":"","description":"Seen at the car wash","indicators":["no_such_sign"],"postcode":"nowhere"}
                """)
            #expect(wrong.status == .unprocessableEntity)
            let fields = Set((try Self.object(wrong)["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
            #expect(fields == ["/location", "/postcode", "/indicators/0"])

            let response = try await Self.call(env, .POST, "/api/v1/concerns", token: text, json: """
                {"immediate_danger":false,"subject":"person","age":"under_18","child_involved":"yes","location":"Car wash on the ring road","description":"A boy of about 15 works there on school days."}
                """)
            #expect(response.status == .created)
            let body = try Self.object(response)
            #expect(body["routes"] as? [String] == ["childrens_safeguarding"])
            #expect(body["description"] == nil, "the content is not handed back")
            let concern = try #require(try await Concern.query(on: env.db).filter(\.$reference == (body["reference"] as? String ?? "")).first())
            #expect(concern.channel == .partnerAgency)
            #expect(concern.reportedBy == account.id)
            #expect(try await AuditEntry.query(on: env.db).filter(\.$entityID == concern.id!.uuidString).filter(\.$action == "create").count() == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aStatementSubmittedAsTextIsCheckedKeptAndReadBack(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let token = try await Self.token(env, .procurementOfficer)
            let statement = "This statement is made pursuant to section 54(1) of the Modern Slavery Act 2015 and covers the financial year ending 31 March 2026. "
                + "It was approved by the board of directors on 12 June 2026 and signed by Jane Smith, Director. "
                + "We audited 40 suppliers in high-risk sectors and terminated one contract after finding withheld wages."
            let response = try await Self.call(env, .POST, "/api/v1/statement-checks", token: token,
                                                json: String(data: try JSONSerialization.data(withJSONObject: ["text": statement]), encoding: .utf8)!)
            #expect(response.status == .created)
            let body = try Self.object(response)
            let id = try #require(body["id"] as? String)
            let criteria = body["uk_criteria"] as? [[String: Any]] ?? []
            #expect(!criteria.isEmpty)
            #expect(criteria.contains { ($0["evidence"] as? [[String: Any]] ?? []).contains { ($0["sentence"] as? String ?? "").contains("approved by the board") } })
            let again = try Self.object(try await Self.call(env, .GET, "/api/v1/statement-checks/\(id)", token: token))
            #expect(again["met"] as? Int == body["met"] as? Int)
            // Exactly one source, and addresses under the fetcher's rules.
            #expect(try await Self.call(env, .POST, "/api/v1/statement-checks", token: token, json: #"{"text":"a","url":"https://example.org"}"#).status == .unprocessableEntity)
            let inside = try await Self.call(env, .POST, "/api/v1/statement-checks", token: token, json: #"{"url":"http://127.0.0.1:1/statement"}"#)
            #expect(inside.status == .unprocessableEntity)
            #expect((try Self.object(inside)["errors"] as? [[String: Any]])?.first?["field"] as? String == "/url")
        }
    }

    @Test(arguments: TestDatabase.available)
    func completionsFromALearningPlatformAreAllOrNothingAndComplianceHasNoNames(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let token = try await Self.token(env, .trainingManager)
            let person = try #require(try await StaffMember.query(on: env.db).sort(\.$staffNumber).first())
            let day = Day(env.clock.now()).adding(days: -3).iso
            let before = try await TrainingCompletion.query(on: env.db).count()
            let wrong = try await Self.call(env, .POST, "/api/v1/training/completions", token: token, json: """
                {"completions":[{"staff_number":"\(person.staffNumber)","course":"Modern slavery awareness","completed_on":"\(day)"},
                                {"staff_number":"NOBODY","course":"Modern slavery awareness","completed_on":"\(day)"}]}
                """)
            #expect(wrong.status == .unprocessableEntity)
            #expect((try Self.object(wrong)["errors"] as? [[String: Any]])?.map { $0["field"] as? String } == ["/completions/1"])
            #expect(try await TrainingCompletion.query(on: env.db).count() == before)
            let good = try await Self.call(env, .POST, "/api/v1/training/completions", token: token, json: """
                {"completions":[{"staff_number":"\(person.staffNumber)","course":"Modern slavery awareness","completed_on":"\(day)"}]}
                """)
            #expect(try Self.object(good)["created"] as? Int == 1)
            let twice = try await Self.call(env, .POST, "/api/v1/training/completions", token: token, json: """
                {"completions":[{"staff_number":"\(person.staffNumber)","course":"Modern slavery awareness","completed_on":"\(day)"}]}
                """)
            #expect(try Self.object(twice)["already_recorded"] as? Int == 1)
            let compliance = try await Self.call(env, .GET, "/api/v1/training/compliance", token: token)
            #expect(compliance.status == .ok)
            #expect(!compliance.body.string.contains(person.name))
            let overall = try #require(try Self.object(compliance)["overall"] as? [String: Any])
            #expect((overall["required"] as? Int ?? 0) > 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func nullsOtherMethodsAndOversizedBodiesAreRefusedAsProblems(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let token = try await Self.token(env, .procurementOfficer)
            let supplier = try #require(try await Supplier.query(on: env.db).first())
            // A null is not "keep the value": refused, by its place, and nothing changes.
            let null = try await Self.call(env, .PATCH, "/api/v1/suppliers/\(supplier.id!.uuidString)", token: token, json: #"{"name":null}"#)
            #expect(null.status == .badRequest)
            #expect((try Self.object(null)["errors"] as? [[String: Any]])?.first?["field"] as? String == "/name")
            #expect(try await Supplier.find(supplier.id, on: env.db)?.name == supplier.name)
            // A method the address does not answer, including where a parameter route would take it.
            let delete = try await Self.call(env, .DELETE, "/api/v1/suppliers", token: token)
            #expect(delete.status == .methodNotAllowed)
            #expect(delete.headers.first(name: .allow) == "GET, POST")
            let patchBulk = try await Self.call(env, .PATCH, "/api/v1/suppliers/bulk", token: token, json: "{}")
            #expect(patchBulk.status == .methodNotAllowed)
            #expect(patchBulk.headers.first(name: .allow) == "POST")
            #expect(try await Self.call(env, .GET, "/api/v1/no-such-thing", token: token).status == .notFound)
            // Bodies over the limit are refused, and nothing is kept of them.
            let large = try await Self.call(env, .POST, "/api/v1/suppliers/bulk", token: token,
                                            json: #"{"suppliers":[],"padding":""# + String(repeating: "x", count: APIGate.maxBody) + #""}"#)
            #expect(large.status == .payloadTooLarge)
            #expect(large.headers.first(name: .contentType) == "application/problem+json")
        }
    }

    @Test(arguments: TestDatabase.available)
    func theCommandLineMakesATokenOnlyWithinTheRole(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let email = DemoData.email(for: .trainingManager)
            await #expect(throws: Administration.Problem.self) {
                try await Administration.createAPIToken(on: env.app, email: email, name: "x", scopes: ["view_cases"], days: 30, callsPerMinute: 60)
            }
            await #expect(throws: Administration.Problem.self) {
                try await Administration.createAPIToken(on: env.app, email: email, name: " ", scopes: ["manage_training"], days: 30, callsPerMinute: 60)
            }
            await #expect(throws: Administration.Problem.self) {
                try await Administration.createAPIToken(on: env.app, email: email, name: "LMS", scopes: ["manage_training"], days: 400, callsPerMinute: 60)
            }
            let text = try await Administration.createAPIToken(on: env.app, email: email, name: "LMS", scopes: ["manage_training"], days: 30, callsPerMinute: 60)
            #expect(try await Self.call(env, .POST, "/api/v1/training/completions", token: text, json: #"{"completions":[]}"#).status == .ok)
            #expect(try await Self.call(env, .GET, "/api/v1/training/compliance", token: text).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.available)
    func partnersSendReturnsCheckedAsTheCSVAndTheFormCheckThem(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let partner = try await Self.token(env, .partner)
            let records = #"{"period_start":"2025-01-01","period_end":"2025-03-31","source_kind":"api enquiry","records":["#
                + #"{"date":"2025-01-14","exploitation_type":"criminal","age_group":"child","gender":"male","nationality":"UK","area":"riverside"},"#
                + #"{"date":"2025-02-02","exploitation_type":"labour","shared_key":"k-77"}]}"#
            let made = try await Self.call(env, .POST, "/api/v1/data-returns", token: partner, json: records)
            #expect(made.status == .created, "\(made.body.string)")
            let body = try Self.object(made)
            #expect(body["form"] as? String == "records" && body["total"] as? Int == 2 && body["partner"] as? String == "Demo Borough Police")
            let saved = try #require(try await DataReturnRecord.query(on: env.db).filter(\.$sourceKind == "api enquiry").sort(\.$occurredOn).all())
            #expect(saved.map(\.area) == ["Riverside", ""] && saved.first?.nationality == "British")

            // The same period and source again is refused; so are bad records, by index, and nothing is kept.
            let twice = try await Self.call(env, .POST, "/api/v1/data-returns", token: partner, json: records)
            #expect(twice.status == .unprocessableEntity && twice.body.string.contains("already has a return"))
            let bad = #"{"period_start":"2025-04-01","period_end":"2025-06-30","source_kind":"api enquiry","records":[{"date":"2025-04-02","exploitation_type":"labour"},"#
                + #"{"date":"2025-07-01","exploitation_type":"slavery","area":"Atlantis"}]}"#
            let refused = try await Self.call(env, .POST, "/api/v1/data-returns", token: partner, json: bad)
            #expect(refused.status == .unprocessableEntity)
            let errors = try #require(try Self.object(refused)["errors"] as? [[String: Any]])
            #expect(errors.map { $0["field"] as? String } == ["/records/1"])
            let detail = errors.first?["detail"] as? String ?? ""
            #expect(detail.contains("outside the return's period") && detail.contains("slavery") && detail.contains("Atlantis"))
            #expect(try await DataReturn.query(on: env.db).filter(\.$periodStart == "2025-04-01").filter(\.$sourceKind == "api enquiry").count() == 0)

            // Counts are the counts form's rules: keys it knows, cuts no bigger than the total.
            let wrongCounts = #"{"period_start":"2025-04-01","period_end":"2025-06-30","source_kind":"api enquiry","counts":{"total":5,"types":{"labour":6,"slavery":1}}}"#
            let countErrors = try #require(try Self.object(try await Self.call(env, .POST, "/api/v1/data-returns", token: partner, json: wrongCounts))["errors"] as? [[String: Any]])
            #expect(Set(countErrors.compactMap { $0["field"] as? String }) == ["/counts/types/slavery", "/counts/types/labour"], "an unknown type, and a cut bigger than the total")
            let counts = #"{"period_start":"2025-04-01","period_end":"2025-06-30","source_kind":"api enquiry","counts":{"total":5,"types":{"labour":4},"nationalities":{"British":3},"areas":{"Riverside":2}}}"#
            #expect(try await Self.call(env, .POST, "/api/v1/data-returns", token: partner, json: counts).status == .created)
            let both = #"{"period_start":"2025-07-01","period_end":"2025-09-30","counts":{"total":1},"records":[]}"#
            #expect(try await Self.call(env, .POST, "/api/v1/data-returns", token: partner, json: both).body.string.contains("exactly one of records or counts"))

            // A partner's staff list their own organisation's returns; the analyst names the partner and sees all.
            let analyst = try await Self.token(env, .partnershipAnalyst)
            let other = try await PartnershipTests.addPartner(env, "Demo Fire Service", kind: .fire)
            let forOther = #"{"partner_id":"\#(other.id!.uuidString)","period_start":"2025-01-01","period_end":"2025-03-31","counts":{"total":3}}"#
            #expect(try await Self.call(env, .POST, "/api/v1/data-returns", token: analyst, json: forOther).status == .created)
            let own = try #require(try Self.object(try await Self.call(env, .GET, "/api/v1/data-returns?limit=200", token: partner))["items"] as? [[String: Any]])
            #expect(!own.isEmpty && own.allSatisfy { $0["partner"] as? String == "Demo Borough Police" })
            let all = try #require(try Self.object(try await Self.call(env, .GET, "/api/v1/data-returns?limit=200", token: analyst))["items"] as? [[String: Any]])
            #expect(all.contains { $0["partner"] as? String == "Demo Fire Service" } && all.count > own.count)
        }
    }

    /// The lists read rows without building models; each item must still be exactly what
    /// reading that record alone gives.
    @Test(arguments: TestDatabase.available)
    func listedItemsAreTheRecordsAsReadOneByOne(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let token = try await Self.token(env, .procurementOfficer)
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            func read<T: Decodable>(_ type: T.Type, _ path: String) async throws -> T {
                try decoder.decode(T.self, from: Data(try await Self.call(env, .GET, path, token: token).body.readableBytesView))
            }
            let suppliers = try await read(Components.Schemas.SupplierList.self, "/api/v1/suppliers?limit=200").items
            #expect(suppliers.count > 3, "the demo data lists several")
            for item in suppliers { #expect(try await read(Components.Schemas.Supplier.self, "/api/v1/suppliers/\(item.id)") == item) }
            let contracts = try await read(Components.Schemas.ContractList.self, "/api/v1/contracts?limit=200").items
            #expect(contracts.count > 3, "the demo data lists several")
            for item in contracts { #expect(try await read(Components.Schemas.Contract.self, "/api/v1/contracts/\(item.id)") == item) }
        }
    }

    /// The byte scan that spares most bodies a parse must never miss a null outside a string.
    @Test func theNullScanFindsEveryNullOutsideStrings() {
        for json in [#"{"a":null}"#, #"[1, null]"#, #"{"s":"x\"", "b": null}"#, "null", #"{"s":"\\", "b":null}"#] {
            #expect(APIGate.mayHoldNull(Array(json.utf8)), "\(json)")
        }
        for json in [#"{"a":"null"}"#, #"{"nu":true,"f":false}"#, #"{"s":"say \"null\" here"}"#, #"[1e5, -0.5, "nuance"]"#] {
            #expect(!APIGate.mayHoldNull(Array(json.utf8)), "\(json)")
        }
    }
}
