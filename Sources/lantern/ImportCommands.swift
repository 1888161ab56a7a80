import ArgumentParser
import Foundation
import LanternApp

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import suppliers or contracts from CSV, or the ILAB goods list from XML.",
        subcommands: [Suppliers.self, Contracts.self, Goods.self])

    /// Prints the line-by-line report; exits 2 when any row was rejected (nothing imported).
    static func run(_ kind: Administration.ImportKind, file: String, merge: Bool, storage: StorageOptions) async throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw CommandFailure("Cannot read \(file).") }
        let report: Administration.ImportReport
        do {
            report = try await Runtime.withApplication(try storage.configuration(demo: false)) { app in
                try await Administration.importCSV(on: app, kind: kind, data: data, filename: (file as NSString).lastPathComponent, mergeDuplicates: merge)
            }
        } catch let problem as Administration.Problem {
            throw CommandFailure("Nothing imported: \(problem.description)")
        }
        print("\(file): \(report.rows) rows read as \(report.encoding); \(report.newCount) new \(kind.rawValue), \(report.duplicates.count) duplicates, \(report.rejected.count) rejected.")
        if !report.ignoredColumns.isEmpty { print("Columns not used: \(report.ignoredColumns.joined(separator: ", ")).") }
        for line in report.duplicates { print("Duplicate: \(line)\(merge ? "; merged" : "; left as it was (use --merge-duplicates to merge)")") }
        for line in report.rejected { print("Rejected: \(line)") }
        if let outcome = report.outcome {
            print("Imported: \(outcome).")
        } else {
            print("Nothing imported: correct the rejected rows and run the import again.")
            throw ExitCode(2)
        }
    }

    struct Suppliers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import suppliers: name, and optionally company_number, sector, country, turnover_band, statement_url.")
        @ArgumentParser.OptionGroup var storage: StorageOptions
        @ArgumentParser.Argument(help: "The CSV file.") var file: String
        @ArgumentParser.Flag(name: .long, help: "Merge rows that match a registered supplier (same company number or name) into it.")
        var mergeDuplicates = false
        func run() async throws { try await Import.run(.suppliers, file: file, merge: mergeDuplicates, storage: storage) }
    }

    struct Contracts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import contracts: title, supplier, and optionally value, annual_value, start_date, end_date, category, business_critical.")
        @ArgumentParser.OptionGroup var storage: StorageOptions
        @ArgumentParser.Argument(help: "The CSV file.") var file: String
        @ArgumentParser.Flag(name: .long, help: "Merge rows that match a registered contract (same title and supplier) into it.")
        var mergeDuplicates = false
        func run() async throws { try await Import.run(.contracts, file: file, merge: mergeDuplicates, storage: storage) }
    }

    struct Goods: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Load the US Department of Labor ILAB List of Goods (XML), replacing any list loaded before.")
        @ArgumentParser.OptionGroup var storage: StorageOptions
        @ArgumentParser.Argument(help: "The XML file, such as goods_2021.xml.") var file: String
        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw CommandFailure("Cannot read \(file).") }
            do {
                let count = try await Runtime.withApplication(try storage.configuration(demo: false)) { app in
                    try await Administration.importGoods(on: app, data: data, source: (file as NSString).lastPathComponent)
                }
                print("Loaded \(count) good × country pairs from \(file).")
            } catch let problem as Administration.Problem {
                throw CommandFailure("Not loaded: \(problem.description)")
            }
        }
    }
}
