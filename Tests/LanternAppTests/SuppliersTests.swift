import Fluent
import Foundation
import LanternCore
import Testing
import VaporTesting
@testable import LanternApp

@Suite("Suppliers")
struct SuppliersTests {
    static func supplier(named name: String, in env: TestEnvironment) async throws -> Supplier {
        try #require(try await Supplier.query(on: env.db).filter(\.$name == name).first())
    }

    @Test(arguments: TestDatabase.available)
    func everySupplierFieldIsCheckedAndWhatWasTypedIsKept(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .procurementOfficer)
            try await browser.get("/suppliers/new")
            let empty = try await browser.post("/suppliers", ["name": "  "])
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.body.string.contains("Enter the supplier&#39;s name") || empty.body.string.contains("Enter the supplier's name"))
            let bad = try await browser.post("/suppliers", [
                "name": "<script>alert(1)</script> Ltd", "company_number": "12-AB", "sectors[]": "not_a_sector",
                "turnover_band": "huge", "statement_url": "ftp://x", "countries_operation": String(repeating: "x", count: 81),
                "address": String(repeating: "a", count: 1001), "parent_company": String(repeating: "p", count: 201),
            ]).body.string
            for message in ["Enter a Companies House number of 8 characters", "Choose sectors from the list", "Choose a turnover band from the list",
                            "starting with http:// or https://", "Each country must be 80 characters or fewer",
                            "The address must be 1,000 characters or fewer", "200 characters or fewer"] {
                #expect(bad.contains(message), "missing: \(message)")
            }
            #expect(bad.contains("&lt;script&gt;alert(1)&lt;/script&gt; Ltd"))
            #expect(!bad.contains("<script>alert(1)"))
            #expect(bad.contains("value=\"12-AB\""))
            #expect(try await Supplier.query(on: env.db).filter(\.$name == "<script>alert(1)</script> Ltd").count() == 0)

            let made = try await browser.post("/suppliers", ["name": "Acme Cleaning Ltd", "company_number": "1234567", "sectors[]": "cleaning_security",
                                                             "turnover_band": "36m_to_60m", "countries_operation": "United Kingdom; Poland"])
            #expect(made.status == .seeOther)
            let acme = try await Self.supplier(named: "Acme Cleaning Ltd", in: env)
            #expect(acme.companyNumber == "01234567" && acme.operationCountries == ["United Kingdom", "Poland"])
            let duplicate = try await browser.post("/suppliers", ["name": "ACME CLEANING LIMITED"]).body.string
            #expect(duplicate.contains("Acme Cleaning Ltd is already registered"))
            let sameNumber = try await browser.post("/suppliers", ["name": "Other Ltd", "company_number": "01234567"]).body.string
            #expect(sameNumber.contains("Acme Cleaning Ltd already has company number 01234567"))
            #expect(try await AuditEntry.query(on: env.db).filter(\.$entityType == "Supplier").filter(\.$action == "create").count() == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func questionnaireDeclarationAndContactsAreCheckedOnTheSupplierPage(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .contractManager)
            try await browser.post("/suppliers", ["name": "Big Grocer plc", "turnover_band": "over_500m"])
            let id = try await Self.supplier(named: "Big Grocer plc", in: env).id!.uuidString
            let page = "/suppliers/\(id)"
            #expect(try await browser.get(page).status == .ok)

            #expect(try await browser.post(page + "/questionnaire", [:]).body.string.contains("question 7.1"))
            #expect(try await browser.post(page + "/questionnaire", ["relevant": "yes"]).body.string.contains("question 7.2"))
            let noURL = try await browser.post(page + "/questionnaire", ["relevant": "yes", "compliant": "yes"]).body.string
            #expect(noURL.contains("Enter the address of the supplier&#39;s modern slavery statement") || noURL.contains("Enter the address of the supplier's modern slavery statement"))
            #expect(try await browser.post(page + "/questionnaire", ["relevant": "yes", "compliant": "no"]).body.string.contains("Explain why the supplier does not comply"))
            #expect(try await browser.post(page + "/questionnaire", ["relevant": "not_applicable"]).status == .seeOther)
            #expect(try await browser.get(page).body.string.contains("at or above the £36m s54 threshold"))

            let declaration = try await browser.post(page + "/declaration", ["signed_on": "31/02/2026", "signed_by": "J Smith"]).body.string
            #expect(declaration.contains("not involved in modern slavery"))
            #expect(declaration.contains("not been investigated"))
            #expect(declaration.contains("Enter the date as YYYY-MM-DD or DD/MM/YYYY"))
            #expect(declaration.contains("value=\"J Smith\""))
            let future = try await browser.post(page + "/declaration", ["not_involved": "yes", "not_investigated": "no", "signed_by": "J Smith", "signed_on": "2099-01-01"])
            #expect(future.body.string.contains("cannot be in the future"))
            #expect(try await browser.post(page + "/declaration", ["not_involved": "yes", "not_investigated": "no", "signed_by": "J Smith", "signed_on": "2026-01-10"]).status == .seeOther)
            #expect(try await browser.get(page).body.string.contains("Declaration withholds an assurance"))

            let contact = try await browser.post(page + "/contacts", ["name": "", "email": "not-an-email", "phone": "call me"]).body.string
            #expect(contact.contains("Enter the contact&#39;s name") || contact.contains("Enter the contact's name"))
            #expect(contact.contains("Enter an email address in the correct format"))
            #expect(contact.contains("Enter a phone number using digits"))
            let newContact = try await env.created(SupplierContact.self) {
                let added = try await browser.post(page + "/contacts", ["name": "Pat Lee", "role": "Ethical trade", "email": "pat@grocer.example"])
                #expect(added.status == .seeOther)
            }
            let contactID = try #require(newContact.id)
            #expect(try await browser.get(page).body.string.contains("pat@grocer.example"))
            #expect(try await browser.post(page + "/contacts/\(contactID.uuidString)/remove", [:]).body.string.contains("Yes, remove the contact"))
            #expect(try await browser.post(page + "/contacts/\(contactID.uuidString)/remove", ["confirmed": "yes"]).status == .seeOther)
            #expect(try await SupplierContact.query(on: env.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aCheckedStatementShowsItsGapsOnTheSupplierAndItsAge(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .procurementOfficer)
            try await browser.post("/suppliers", ["name": "Leicestershire County Council"])
            let supplier = try await Self.supplier(named: "Leicestershire County Council", in: env)
            let page = "/suppliers/\(supplier.id!.uuidString)"
            try await browser.get(page)
            let refused = try await browser.postFile(page + "/statement", fields: ["url": ""], fileField: "file", filename: "", contents: Data())
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Choose a statement file to upload"))
            let checked = try await browser.postFile(page + "/statement", fields: ["url": ""], fileField: "file",
                                                     filename: "leicestershire.txt", contents: try StatementsPageTests.seed("001"))
            #expect(checked.status == .seeOther)
            let updated = try await Self.supplier(named: "Leicestershire County Council", in: env)
            #expect(updated.statementCheckID != nil && updated.statementGaps != nil)
            #expect(updated.statementPeriodEnd == "2019-03-31")
            let html = try await browser.get(page).body.string
            #expect(html.contains("UK criteria met"))
            #expect(html.contains("Out of date"))
            #expect(try await browser.get("/suppliers?standing=out_of_date").body.string.contains("Leicestershire County Council"))
            #expect(!(try await browser.get("/suppliers?standing=none").body.string.contains("Leicestershire County Council")))
        }
    }

    @Test(arguments: TestDatabase.available)
    func theListFiltersAndExportsWithoutLettingCellsRunAsFormulas(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let browser = try env.browser()
            try await browser.signIn(as: .procurementOfficer)
            try await browser.post("/suppliers", ["name": "=HYPERLINK(\"http://evil\") Ltd", "sectors[]": "construction"])
            let filtered = try await browser.get("/suppliers?sector=construction").body.string
            #expect(filtered.contains("Harbour Construction Group plc"))
            #expect(!filtered.contains("Civic Digital Partners"))
            #expect(try await browser.get("/suppliers?q=04512873").body.string.contains("Brightway Facilities"))
            let csv = try await browser.get("/suppliers/export.csv?sector=construction")
            #expect(csv.headers.contentType?.description.hasPrefix("text/csv") == true)
            #expect(csv.body.string.hasPrefix("name,company_number,sector"))
            #expect(csv.body.string.contains("\"'=HYPERLINK(\"\"http://evil\"\") Ltd\""))
            #expect(!csv.body.string.contains("Civic Digital"))
            // Sectors and turnover bands go out as the labels the supplier import reads back.
            #expect(csv.body.string.contains(Sector.construction.label) && !csv.body.string.contains(",construction,"))
            for sector in Sector.allCases { #expect(Sector(matching: sector.label) == sector, "\(sector.label) does not import") }
            for band in TurnoverBand.allCases { #expect(TurnoverBand(matching: band.label) == band) }
            #expect(try await AuditEntry.query(on: env.db).filter(\.$action == "export").count() == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func auditorsAndSafeguardingLeadsReadButCannotChange(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let supplier = try await Self.supplier(named: "Brightway Facilities Services Ltd", in: env)
            let contract = try #require(try await Contract.query(on: env.db).first())
            for role in [Role.auditor, .safeguardingLead] {
                let browser = try env.browser()
                try await browser.signIn(as: role)
                for path in ["/suppliers", "/suppliers/\(supplier.id!.uuidString)", "/contracts", "/contracts/\(contract.id!.uuidString)", "/procurement"] {
                    let page = try await browser.get(path)
                    #expect(page.status == .ok, "\(role) \(path)")
                    #expect(!page.body.string.contains("action=\"/suppliers/\(supplier.id!.uuidString)/questionnaire\""))
                }
                #expect(try await browser.post("/suppliers", ["name": "Sneaky Ltd"]).status == .forbidden)
                #expect(try await browser.post("/contracts/\(contract.id!.uuidString)/kpis", ["kpi_name": "x", "target": "y"]).status == .forbidden)
            }
            let analyst = try env.browser()
            try await analyst.signIn(as: .partnershipAnalyst)
            #expect(try await analyst.get("/suppliers").status == .forbidden)
        }
    }
}

/// The contract form's supplier suggestions: by name or number, for those who may see suppliers.
@Suite struct SupplierSuggestionTests {
    @Test(arguments: TestDatabase.available)
    func suggestionsMatchNameOrNumberForThoseWhoMaySeeSuppliers(_ database: TestDatabase) async throws {
        try await withLantern(database) { env in
            let manager = try env.browser()
            try await manager.signIn(as: .contractManager)
            let found = try await manager.get("/suppliers/suggest?q=bright", accept: "application/json").body.string
            #expect(found.contains("Brightway Facilities Services Ltd"))
            let byNumber = try await manager.get("/suppliers/suggest?q=04512873", accept: "application/json").body.string
            #expect(byNumber.contains("Brightway"))
            #expect(try await manager.get("/suppliers/suggest?q=b", accept: "application/json").body.string == "[]", "one letter asks nothing")
            let caseworker = try env.browser()
            try await caseworker.signIn(as: .caseworker)
            #expect(try await caseworker.get("/suppliers/suggest?q=bright", accept: "application/json").status == .forbidden)
        }
    }
}
