import Foundation
import Testing
@testable import LanternCore

@Suite("CSV reading")
struct CSVFileTests {
    @Test func aFileWithMoreRowsThanTheLimitIsRefusedWhole() throws {
        let csv = Data("name\nA\nB\nC\nD\n".utf8)
        #expect(throws: CSVFile.Problem.tooManyRows(rows: 4, limit: 3)) { try CSVFile(data: csv, maxRows: 3) }
        #expect(try CSVFile(data: csv, maxRows: 4).rows.count == 4)
        #expect(CSVFile.Problem.tooManyRows(rows: 550_000, limit: 100_000).description
                == "the file has 550,000 rows; one import takes at most 100,000. Split it into smaller files")
    }

    @Test func quotedFieldsLineBreaksAndLineNumbers() throws {
        let text = "name,company_number\r\n\"Acme, \"\"Best\"\" Ltd\",01234567\r\n\"Two\nLines Ltd\",\n\nLast Ltd,7654321\n"
        let file = try CSVFile(data: Data(text.utf8))
        #expect(file.header == ["name", "company_number"])
        #expect(file.rows.map(\.line) == [2, 3, 6])
        #expect(file.rows[0].fields == ["Acme, \"Best\" Ltd", "01234567"])
        #expect(file.rows[1].fields[0] == "Two\nLines Ltd")
        #expect(file.unreadable.isEmpty)
    }

    /// From fuzzing (`scripts/fuzz csv`): a lone CR ends a line, as in old Mac exports, so line
    /// numbers count it; a quote left open at the end of the file does not trap.
    @Test func loneCarriageReturnsEndLinesAndAnOpenQuoteAtTheEndIsSafe() throws {
        let file = try CSVFile(data: Data("name,sector,annual_spend\r\r\"Acme, Ltd\"\rBeta Ltd,Cleaning,5\r\"Open".utf8))
        #expect(file.header == ["name", "sector", "annual_spend"])
        #expect(file.rows.map(\.line).allSatisfy { (1...5).contains($0) })
        #expect(file.rows.contains { $0.fields.first == "Acme, Ltd" })
        #expect(file.rows.contains { $0.fields == ["Beta Ltd", "Cleaning", "5"] })
    }

    @Test func headersAreNormalisedAndShortRowsPadded() throws {
        let file = try CSVFile(data: Data("\u{FEFF}Name, Company Number \nA\n".utf8))
        #expect(file.header == ["name", "company_number"])
        #expect(file.rows[0].fields == ["A", ""])
        #expect(file.encoding == .utf8)
    }

    @Test func windows1252FromExcelIsReadAndSaidSo() throws {
        var bytes = Array("name\nCaf".utf8)
        bytes += [0xE9, 0x20, 0x93, 0x4E, 0x6F, 0x72, 0x64, 0x94, 0x0A]  // é “Nord”
        let file = try CSVFile(data: Data(bytes))
        #expect(file.encoding == .windows1252)
        #expect(file.rows[0].fields[0] == "Café “Nord”")
    }

    @Test func aFileMixingEncodingsHasItsBrokenLinesReported() throws {
        var bytes = Array("name\nZoë Ltd\n".utf8)
        bytes += [0x43, 0x61, 0x66, 0xE9, 0x0A]  // "Caf\xE9": Latin-1 in a UTF-8 file
        bytes += Array("Fine Ltd\n".utf8)
        let file = try CSVFile(data: Data(bytes))
        #expect(file.rows.map(\.line) == [2, 4])
        #expect(file.unreadable.map(\.line) == [3])
        #expect(file.unreadable[0].reason.contains("not UTF-8"))
    }

    @Test func utf16WithAByteOrderMarkIsRead() throws {
        let file = try CSVFile(data: "name\nÅngström AB\n".data(using: .utf16)!)
        #expect(file.encoding == .utf16)
        #expect(file.rows[0].fields == ["Ångström AB"])
    }

    @Test func extraFieldsAndUnclosedQuotesAreReportedByLine() throws {
        let file = try CSVFile(data: Data("name,sector\nA,B,C\nB,x\n\"Open,quote\nC,d\n".utf8))
        #expect(file.unreadable.map(\.line) == [2, 4])
        #expect(file.rows.map(\.line) == [3])
    }

    @Test func emptyFilesAreRefused() {
        #expect(throws: CSVFile.Problem.empty) { try CSVFile(data: Data()) }
        #expect(throws: CSVFile.Problem.empty) { try CSVFile(data: Data("\n\n".utf8)) }
    }

    @Test func exportedCellsCannotRunAsFormulas() {
        #expect(CSVFile.escape("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CSVFile.escape("-12") == "-12")
        #expect(CSVFile.escape("@SUM") == "'@SUM")
        #expect(CSVFile.write(header: ["a"], rows: [["x,y"]]) == "a\r\n\"x,y\"\r\n")
    }
}

@Suite("Supplier and contract import plans")
struct ImportPlanTests {
    func file(_ text: String) throws -> CSVFile { try CSVFile(data: Data(text.utf8)) }

    @Test func everyBadSupplierRowIsRejectedWithItsLineAndReason() throws {
        let plan = SupplierImport.plan(try file("""
            name,company_number,sector,country,turnover_band,statement_url
            Good Ltd,1234567,Construction,United Kingdom,under_36m,https://good.example/msa
            ,,,,,
            Bad Number Ltd,ABC,,,,
            Bad Sector Ltd,,Underwater,,,
            Bad Band Ltd,,,,£40m,
            Bad URL Ltd,,,,,www.no-scheme.example
            """), byNumber: [:], byName: [:])
        #expect(!plan.canImport)
        #expect(plan.newRows.map(\.name) == ["Good Ltd"])
        #expect(plan.newRows[0].companyNumber == "01234567")
        #expect(plan.rejected.map(\.line) == [3, 4, 5, 6, 7])
        #expect(plan.rejected[0].reason == "Line 3: name is empty")
        #expect(plan.rejected[1].reason.contains("company_number 'ABC'"))
        #expect(plan.rejected[2].reason.contains("sector 'Underwater'"))
        #expect(plan.rejected[3].reason.contains("turnover_band '£40m'"))
        #expect(plan.rejected[4].reason.contains("statement_url"))
    }

    @Test func duplicatesAreFoundInTheFileAndAgainstTheRegister() throws {
        let existing = UUID()
        let plan = SupplierImport.plan(try file("""
            name,company_number,colour
            Acme Cleaning Ltd,,blue
            ACME CLEANING LIMITED,,
            New Co Ltd,09999999,
            Renamed Co,9999999,
            Registered Ltd,,
            """), byNumber: [:], byName: [OrganisationName.key("Registered Limited"): (existing, "Registered Limited")])
        #expect(plan.canImport)
        #expect(plan.ignoredColumns == ["colour"])
        #expect(plan.newRows.map(\.line) == [2, 4])
        #expect(plan.duplicates.map(\.row.line) == [3, 5, 6])
        #expect(plan.duplicates[0].match == .earlierLine(2))
        #expect(plan.duplicates[1].reason == "same company number 09999999")
        #expect(plan.duplicates[2].match == .existing(id: existing, name: "Registered Limited"))
    }

    @Test func aFileWithoutTheNameColumnIsRejectedAtLineOne() throws {
        let plan = SupplierImport.plan(try file("supplier\nA\n"), byNumber: [:], byName: [:])
        #expect(plan.rejected.first?.line == 1)
        #expect(!plan.canImport)
    }

    @Test func contractRowsNeedAKnownSupplierRealDatesAndRealNumbers() throws {
        let supplier = UUID()
        let plan = ContractImport.plan(try file("""
            title,supplier,value,annual_value,start_date,end_date,category,business_critical
            Cleaning,01234567,"£120,000",40000,2026-04-01,31/03/2029,Cleaning,yes
            Catering,Nobody Ltd,100,,,,,
            Security,Acme Ltd,12k,,,,,
            Grounds,Acme Ltd,,,31/02/2026,,,
            Laundry,Acme Ltd,,,2026-04-01,2026-03-01,,maybe
            """), suppliersByNumber: ["01234567": (supplier, "Acme Ltd")], suppliersByName: ["acme": (supplier, "Acme Ltd")], existing: [:])
        #expect(plan.newRows.count == 1)
        let row = plan.newRows[0]
        #expect(row.value?.pence == 12_000_000 && row.businessCritical && row.end?.iso == "2029-03-31")
        #expect(plan.rejected.map(\.line) == [3, 4, 5, 6])
        #expect(plan.rejected[0].reason.contains("no supplier is registered with the name or company number 'Nobody Ltd'"))
        #expect(plan.rejected[1].reason.contains("value '12k' is not an amount"))
        #expect(plan.rejected[2].reason.contains("start_date '31/02/2026' is not a date"))
        #expect(plan.rejected[3].reason.contains("end_date 2026-03-01 is before start_date 2026-04-01"))
        #expect(plan.rejected[3].reason.contains("business_critical 'maybe'"))
    }
}
