import Foundation

/// One record in a partner's data return: an enquiry, referral or encounter, with no identity.
/// `sharedKey` is a pseudonym agreed across the partnership (a keyed hash of the person), the
/// only way two sources' records of one person can be matched.
///
/// Source: the partnership issue (date, exploitation type, age group, gender, nationality, area,
/// outcome, source kind) and `shared/docs/domain/referrals.md` §6 (the national cuts).
public struct ReturnRecord: Sendable, Equatable, Codable {
    public var line: Int
    public var occurredOn: Day
    public var category: ExploitationCategory
    public var ageGroup: AgeGroup
    public var gender: RecordedGender
    /// "Unknown" when not known, as cases record it.
    public var nationality: String
    /// An area from the organisation's list, or "" when not known.
    public var area: String
    public var outcome: ReturnOutcome
    public var sourceKind: String
    public var sharedKey: String?

    public init(line: Int = 0, occurredOn: Day, category: ExploitationCategory, ageGroup: AgeGroup, gender: RecordedGender,
                nationality: String, area: String = "", outcome: ReturnOutcome = .unknown, sourceKind: String, sharedKey: String? = nil) {
        self.line = line
        self.occurredOn = occurredOn
        self.category = category
        self.ageGroup = ageGroup
        self.gender = gender
        self.nationality = nationality
        self.area = area
        self.outcome = outcome
        self.sourceKind = sourceKind
        self.sharedKey = sharedKey
    }
}

/// Reading values the way partners' systems write them: codes or labels, any case.
public enum ReturnValues {
    public static func key(_ text: String) -> String {
        text.lowercased().filter { $0.isLetter || $0.isNumber }
    }

    public static func category(_ text: String) -> ExploitationCategory? {
        let k = key(text)
        if k.isEmpty || ["unknown", "notknown", "other", "otherorunknown", "otherornotknown"].contains(k) { return .otherOrUnknown }
        for c in ExploitationCategory.allCases where key(c.rawValue) == k || key(c.label) == k { return c }
        switch k {
        case "labourexploitation", "forcedlabour": return .labour
        case "sexualexploitation", "cse", "childsexualexploitation": return .sexual
        case "criminalexploitation", "countylines": return .criminal
        case "organharvesting", "organremoval", "organs": return .organHarvesting
        default: return nil
        }
    }

    public static func ageGroup(_ text: String) -> AgeGroup? {
        switch key(text) {
        case "", "unknown", "notknown", "notsure": .unknown
        case "child", "under18", "17orunder", "017", "minor", "yes": .child
        case "adult", "18orover", "18", "over18", "no": .adult
        default: nil
        }
    }

    public static func gender(_ text: String) -> RecordedGender? {
        switch key(text) {
        case "", "unknown", "notknown", "other", "otherornotknown": .unknown
        case "female", "f", "woman", "girl": .female
        case "male", "m", "man", "boy": .male
        default: nil
        }
    }

    public static func outcome(_ text: String) -> ReturnOutcome? {
        let k = key(text)
        if k.isEmpty { return .unknown }
        return ReturnOutcome.allCases.first { key($0.rawValue) == k || key($0.label) == k }
    }

    /// "British", "UK" and "United Kingdom" are one nationality; empty is "Unknown".
    public static func nationality(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch key(trimmed) {
        case "", "unknown", "notknown": return "Unknown"
        case "british", "uk", "unitedkingdom", "unitedkingdombritish", "gb": return "British"
        default: return trimmed.prefix(1).uppercased() + trimmed.dropFirst()
        }
    }
}

/// A partner's records from CSV on the published template. Every row is checked first; one bad
/// row stops the file, with a message per line (the supplier import's rule, `suppliers.md` §11).
public enum DataReturnImport {
    public static let columns = (required: ["date", "exploitation_type"],
                                 optional: ["age_group", "gender", "nationality", "area", "outcome", "source_kind", "shared_key"])

    /// The template's header and two example rows, as the download gives them.
    public static var template: [[String]] {
        [columns.required + columns.optional,
         ["2024-05-14", "criminal", "child", "male", "British", "", "nrm_referral", "police enquiry", ""],
         ["2024-06-02", "labour", "adult", "female", "Albanian", "", "investigation", "police enquiry", ""]]
    }

    /// `period` is the return's, both days included; `areas` the organisation's list (any area
    /// is refused when it is empty, so figures by area only use agreed names).
    public static func plan(_ file: CSVFile, from: Day, to: Day, areas: [String], defaultSource: String) -> ImportPlan<ReturnRecord> {
        var plan = ImportPlan<ReturnRecord>()
        plan.encoding = file.encoding
        let known = (columns.required + columns.optional)
        plan.ignoredColumns = file.header.filter { !$0.isEmpty && !known.contains($0) }
        plan.rejected = file.unreadable.map { .init(line: $0.line, reason: "Line \($0.line) \($0.reason)") }
        plan.rowCount = file.rows.count + file.unreadable.count
        let missing = columns.required.filter { file.index(of: $0) == nil }
        if !missing.isEmpty {
            plan.rejected.insert(.init(line: 1, reason: "Line 1: the header has no \(missing.map { "'\($0)'" }.joined(separator: ", ")) column (columns found: \(file.header.joined(separator: ", ")))"), at: 0)
            return plan
        }
        let areaByKey = Dictionary(areas.map { (ReturnValues.key($0), $0) }, uniquingKeysWith: { a, _ in a })
        for row in file.rows {
            func cell(_ name: String) -> String { file.index(of: name).map { row.fields[$0].trimmingCharacters(in: .whitespaces) } ?? "" }
            var reasons: [String] = []
            let day = Day(parsing: cell("date"))
            if cell("date").isEmpty { reasons.append("date is empty") }
            else if day == nil { reasons.append("date '\(cell("date").prefix(40))' is not a date (use 2024-04-01 or 01/04/2024)") }
            else if day! < from || to < day! { reasons.append("date \(day!.iso) is outside the return's period, \(from.iso) to \(to.iso)") }
            let category = ReturnValues.category(cell("exploitation_type"))
            if category == nil {
                reasons.append("exploitation_type '\(cell("exploitation_type").prefix(60))' is not one of \(ExploitationCategory.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let age = ReturnValues.ageGroup(cell("age_group"))
            if age == nil { reasons.append("age_group '\(cell("age_group").prefix(40))' is not child, adult or unknown") }
            let gender = ReturnValues.gender(cell("gender"))
            if gender == nil { reasons.append("gender '\(cell("gender").prefix(40))' is not female, male or unknown") }
            let outcome = ReturnValues.outcome(cell("outcome"))
            if outcome == nil { reasons.append("outcome '\(cell("outcome").prefix(60))' is not one of \(ReturnOutcome.allCases.map(\.rawValue).joined(separator: ", "))") }
            let nationality = ReturnValues.nationality(cell("nationality"))
            if nationality.count > 60 { reasons.append("nationality is longer than 60 characters") }
            var area = ""
            if !cell("area").isEmpty {
                if let listed = areaByKey[ReturnValues.key(cell("area"))] { area = listed }
                else if areas.isEmpty { reasons.append("area '\(cell("area").prefix(60))' cannot be used: the organisation has no list of areas yet") }
                else { reasons.append("area '\(cell("area").prefix(60))' is not on the organisation's list of areas") }
            }
            let source = cell("source_kind").isEmpty ? defaultSource : cell("source_kind")
            if source.count > 80 { reasons.append("source_kind is longer than 80 characters") }
            let key = cell("shared_key")
            if key.count > 128 { reasons.append("shared_key is longer than 128 characters") }
            guard reasons.isEmpty, let day, let category, let age, let gender, let outcome else {
                plan.rejected.append(.init(line: row.line, reason: "Line \(row.line): " + reasons.joined(separator: "; ")))
                continue
            }
            plan.newRows.append(ReturnRecord(line: row.line, occurredOn: day, category: category, ageGroup: age, gender: gender,
                                             nationality: nationality, area: area, outcome: outcome, sourceKind: source,
                                             sharedKey: key.isEmpty ? nil : key))
        }
        return plan
    }
}
