import Foundation
import LanternCore

/// A way of cutting the partnership's figures: the national statistics' cuts plus area and what
/// became of each record. Source: the partnership issue; `shared/docs/domain/referrals.md` §6.
enum PictureCut: String, CaseIterable, Sendable {
    case type, age, gender, nationality
    /// British or not: the cut the metropolitan borough's statement crosses with age.
    case nationalityGroup = "nationality_group"
    case area, outcome

    var title: String {
        switch self {
        case .type: "Exploitation type"
        case .age: "Age at exploitation"
        case .gender: "Gender"
        case .nationality: "Nationality"
        case .nationalityGroup: "British or other nationality"
        case .area: "Area"
        case .outcome: "Outcome (partners' records)"
        }
    }

    /// Cuts two of which can be crossed (outcome is the partners' alone).
    static let crossable: [PictureCut] = [.type, .age, .gender, .nationality, .nationalityGroup, .area]

    static let otherNationalities = "Other nationalities"

    /// The item's keys under this cut: "" when not known; a council case may have several types.
    func keys(_ item: PictureItem) -> [String] {
        switch self {
        case .type: item.types
        case .age: [item.age]
        case .gender: [item.gender]
        case .nationality: [item.nationality]
        case .nationalityGroup: [item.nationality.isEmpty ? "" : item.nationality == "British" ? "British" : Self.otherNationalities]
        case .area: [item.area]
        case .outcome: [item.outcome]
        }
    }

    /// A counts return's figures under this cut.
    func figures(_ counts: PictureCounts) -> [String: Int] {
        guard self == .nationalityGroup else { return counts.figures[rawValue] ?? [:] }
        var grouped: [String: Int] = [:]
        for (k, v) in counts.figures[PictureCut.nationality.rawValue] ?? [:] { grouped[k == "British" ? "British" : Self.otherNationalities, default: 0] += v }
        return grouped
    }

    /// The categories in order, as (key, label). Nationalities are open-ended: British first, then
    /// those common enough to name (`Breakdown.namedLabels`), the rest as one.
    func categories(areas: [String], present: [String: Int], threshold: Int) -> [(key: String, label: String)] {
        switch self {
        case .type: return ExploitationCategory.allCases.map { ($0.rawValue, $0.label) }
        case .age: return [("child", AgeGroup.child.label), ("adult", AgeGroup.adult.label)]
        case .gender: return [("female", RecordedGender.female.label), ("male", RecordedGender.male.label)]
        case .nationalityGroup: return [("British", "British"), (Self.otherNationalities, Self.otherNationalities)]
        case .area: return areas.map { ($0, $0) } + present.keys.filter { !$0.isEmpty && !areas.contains($0) }.sorted().map { ($0, $0) }
        case .outcome: return ReturnOutcome.allCases.filter { $0 != .unknown }.map { ($0.rawValue, $0.label) }
        case .nationality:
            let others = present.filter { $0.key != "British" && !$0.key.isEmpty }
            let named = Breakdown.namedLabels(others, threshold: threshold, limit: 8)
            return [("British", "British")] + named.map { ($0, $0) } + (others.count > named.count ? [(Self.otherNationalities, Self.otherNationalities)] : [])
        }
    }

    /// Where a key lands among `categories`: itself, or the nationalities' "other".
    func place(_ key: String, in categories: [(key: String, label: String)]) -> String {
        if key.isEmpty || categories.contains(where: { $0.key == key }) { return key }
        return self == .nationality ? Self.otherNationalities : key
    }
}
