import Fluent
import Crypto
import Foundation
import LanternCore
import SQLKit
import Vapor

/// A case holds one potential victim (`shared/docs/domain/referrals.md` §3.2): link related
/// cases, never merge them. Identifying details, notes and the account are encrypted; the
/// coarse fields statistics need (age band, gender, nationality, types, location) stay clear.
final class SafeguardingCase: SealedModel, @unchecked Sendable {
    static let schema = "cases"

    @ID(key: .id) var id: UUID?
    @Field(key: "reference") var reference: String
    @OptionalField(key: "concern_id") var concernID: UUID?
    @OptionalParent(key: "owner_id") var owner: User?
    @OptionalParent(key: "team_id") var team: Team?
    @Field(key: "status") var status: CaseStatus
    @Field(key: "opened_at") var openedAt: Date
    @OptionalField(key: "closed_at") var closedAt: Date?
    @OptionalField(key: "closed_reason") var closedReason: CaseClosureReason?
    @Field(key: "age_category") var age: AgeCategory
    @Field(key: "under18_at_exploitation") var under18AtExploitation: Answer
    @Field(key: "gender") var gender: RecordedGender
    @Field(key: "nationality") var nationality: String
    @OptionalField(key: "second_nationality") var secondNationality: String?
    /// Comma-separated `ExploitationType` values.
    @Field(key: "exploitation_types") var exploitationTypes: String
    @Field(key: "county_lines") var countyLines: Bool
    @Field(key: "exploitation_location") var location: ExploitationLocation
    /// The ward or district from the organisation's list of areas (`PartnershipArea`), where known.
    @OptionalField(key: "area") var area: String?
    @OptionalField(key: "nrm_consent") var nrmConsent: ConsentDecision?
    @Field(key: "willing_to_cooperate") var willingToCooperate: Bool
    /// The date of the next open deadline on the case, for home pages.
    @OptionalField(key: "next_deadline") var nextDeadline: String?
    /// Blind index of surname and date of birth, for duplicate checks without decrypting.
    @OptionalField(key: "person_index") var personIndex: String?
    /// Blind indexes of the words of the person's names (`CaseNameIndex`).
    @OptionalField(key: "name_index") var nameIndex: String?
    /// Blind index of the reference in the system the case was moved in from (`FormerReference`).
    @OptionalField(key: "former_reference_index") var formerReferenceIndex: String?
    /// Processing restricted at the person's request: the case can be read, not changed.
    @OptionalField(key: "restricted_at") var restrictedAt: Date?
    /// The person's data was erased; the coarse columns stay for the statistics.
    @OptionalField(key: "erased_at") var erasedAt: Date?
    @Field(key: "wrapped_key") var wrappedKey: Data
    @Field(key: "sealed") var sealed: Data
    @OptionalField(key: "updated_at") var updatedAt: Date?

    struct Secrets: Codable {
        var firstName = ""
        var lastName = ""
        var aliases = ""
        var nickname = ""
        var dateOfBirth = ""
        var phone = ""
        var email = ""
        var address = ""
        var safeToContact = ""
        var interpreterLanguage = ""
        var indicators: [IndicatorObservation] = []
        var exploitationSummary = ""
        var ukTowns = ""
        var overseasCountries = ""
        /// The case's reference in the system it was moved in from.
        var formerReference: String?
    }

    /// The two fields of `Secrets` a list shows. Decoding only these leaves the rest of the
    /// record (the account, the indicators seen) as parsed JSON, never made into values.
    struct Names: Decodable {
        var firstName: String
        var lastName: String
    }

    init() {
        wrappedKey = Data()
        sealed = Data()
    }

    var types: [ExploitationType] { exploitationTypes.split(separator: ",").compactMap { ExploitationType(rawValue: String($0)) } }
    var isOpen: Bool { status == .open }

    /// The blind index of surname and date of birth, when both are known, for duplicate checks.
    static func personIndex(_ s: Secrets, lookup: LookupKeys) -> String? {
        let known = !s.lastName.isEmpty && s.lastName.lowercased() != "unknown" && !s.dateOfBirth.isEmpty
        return known ? lookup.blindIndex("\(s.lastName)|\(s.dateOfBirth)", purpose: "person") : nil
    }
}

extension SafeguardingCase: ClockStamped {
    func stamp(created: Bool, at time: Date) {
        updatedAt = time
    }
}

/// Whether a case is being worked on. Stored as its raw text.
enum CaseStatus: String, Codable, CaseIterable, Sendable {
    case open, closed
}

extension SafeguardingCase: RowDecodable {
    var storedFields: [any AnyDatabaseProperty] {
        [$id, $reference, $concernID, $owner, $team, $status, $openedAt, $closedAt, $closedReason, $age, $under18AtExploitation, $gender,
         $nationality, $secondNationality, $exploitationTypes, $countyLines, $location, $area, $nrmConsent, $willingToCooperate, $nextDeadline,
         $personIndex, $nameIndex, $formerReferenceIndex, $restrictedAt, $erasedAt, $wrappedKey, $sealed, $updatedAt]
    }
    static let columnNames = ["id", "reference", "concern_id", "owner_id", "team_id", "status", "opened_at", "closed_at", "closed_reason", "age_category",
                              "under18_at_exploitation", "gender", "nationality", "second_nationality", "exploitation_types", "county_lines",
                              "exploitation_location", "area", "nrm_consent", "willing_to_cooperate", "next_deadline", "person_index", "name_index", "former_reference_index",
                              "restricted_at", "erased_at", "wrapped_key", "sealed", "updated_at"]
}
