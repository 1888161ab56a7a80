import Foundation
import Testing
@testable import LanternCore

/// Lantern reads the time from the clock it is configured with and nowhere else, so no result
/// depends on the day or the machine it runs on (`LanternClock`).
@Suite("One clock")
struct ClockDisciplineTests {
    /// Ways Swift code can read the machine's clock, time zone or locale.
    static let forbidden = [
        "Date()", "Date.now", "Date.init()", "timeIntervalSinceNow", "NSDate()", "CFAbsoluteTimeGetCurrent",
        "gettimeofday", "time(nil)", "@Timestamp", "TimeZone.current", "Calendar.current", "Locale.current",
        "autoupdatingCurrent",
    ]
    /// The one file allowed to read the machine's clock.
    static let theClock = "Sources/LanternCore/Time/LanternClock.swift"

    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func swiftFiles(under folder: String) -> [String] {
        let base = root.appendingPathComponent(folder)
        guard let walker = FileManager.default.enumerator(atPath: base.path) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.map { "\(folder)/\($0)" }.sorted()
    }

    /// The places in `text` that read the machine's clock, as `line: code`, comments left out.
    static func clockReads(in text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { number, line in
            let code = line.components(separatedBy: "//").first ?? ""
            return forbidden.contains(where: { code.contains($0) }) ? "\(number + 1): \(line.trimmingCharacters(in: .whitespaces))" : nil
        }
    }

    @Test func theScanFindsEachWayOfReadingTheMachinesClock() {
        for pattern in Self.forbidden {
            #expect(Self.clockReads(in: "let x = 1\nlet t = \(pattern)\n") == ["2: let t = \(pattern)"], "\(pattern)")
        }
        #expect(Self.clockReads(in: "// Fluent's Date() is not used\nlet d = clock.now()").isEmpty)
    }

    @Test func noSourceFileReadsTheMachinesClockExceptTheClock() throws {
        let files = Self.swiftFiles(under: "Sources") + Self.swiftFiles(under: "Benchmarks")
        #expect(files.count > 100, "the sources were not found from \(Self.root.path)")
        #expect(files.contains(Self.theClock))
        var offenders: [String] = []
        for file in files where file != Self.theClock {
            let text = try String(contentsOf: Self.root.appendingPathComponent(file), encoding: .utf8)
            offenders += Self.clockReads(in: text).map { "\(file):\($0)" }
        }
        #expect(offenders.isEmpty, "read the time from the configured LanternClock instead:\n\(offenders.joined(separator: "\n"))")
    }

    @Test func aClockReadsWhatItIsGiven() {
        let day = Date(timeIntervalSince1970: 1_830_000_000)
        #expect(LanternClock.fixed(day).now() == day)
        #expect(LanternClock { day.addingTimeInterval(60) }.now() == day.addingTimeInterval(60))
    }
}
