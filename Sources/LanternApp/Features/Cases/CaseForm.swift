import Foundation
import LanternCore
import Vapor

/// The potential victim's details, as a caseworker enters them, checked.
/// Source: `shared/docs/domain/referrals.md` §3.2 and §3.3.
struct CaseForm {
    struct Fields: Content {
        var concern: String?
        var first_name: String?
        var last_name: String?
        var aliases: String?
        var nickname: String?
        var date_of_birth: String?
        var age: String?
        var under18_at_exploitation: String?
        var gender: String?
        var nationality: String?
        var second_nationality: String?
        var phone: String?
        var email: String?
        var address: String?
        var safe_to_contact: String?
        var interpreter_language: String?
        var types: [String]?
        var county_lines: String?
        var location: String?
        var uk_towns: String?
        var overseas_countries: String?
        var summary: String?
        var team: String?
        var willing_to_cooperate: String?
    }

    var values: [String: String] = [:]
    var types: Set<String> = []
    var errors = FormErrors()
    var secrets = SafeguardingCase.Secrets()
    var age: AgeCategory?
    var under18AtExploitation: Answer = .notSure
    var gender: RecordedGender?
    var location: ExploitationLocation?
    var teamID: UUID?

    static let nationalities = ["British", "Albanian", "Eritrean", "Vietnamese", "Sudanese", "Romanian", "Indian", "Chinese",
                                "Iranian", "Afghan", "Polish", "Nigerian", "Iraqi", "Ethiopian", "Pakistani", "Bangladeshi",
                                "Ghanaian", "Filipino", "Kuwaiti", "Egyptian", "Syrian", "Ukrainian", "Unknown"]

    init(_ f: Fields, today: Day) {
        let pairs: [(String, String?)] = [
            ("concern", f.concern), ("first_name", f.first_name), ("last_name", f.last_name), ("aliases", f.aliases),
            ("nickname", f.nickname), ("date_of_birth", f.date_of_birth), ("age", f.age),
            ("under18_at_exploitation", f.under18_at_exploitation), ("gender", f.gender), ("nationality", f.nationality),
            ("second_nationality", f.second_nationality), ("phone", f.phone), ("email", f.email), ("address", f.address),
            ("safe_to_contact", f.safe_to_contact), ("interpreter_language", f.interpreter_language), ("county_lines", f.county_lines),
            ("location", f.location), ("uk_towns", f.uk_towns), ("overseas_countries", f.overseas_countries), ("summary", f.summary),
            ("team", f.team), ("willing_to_cooperate", f.willing_to_cooperate),
        ]
        for (k, v) in pairs { values[k] = ConcernIntake.trim(v) }
        types = Set((f.types ?? []).filter { ExploitationType(rawValue: $0) != nil })

        let first = values["first_name"]!, last = values["last_name"]!
        if first.isEmpty { errors.add("first_name", "Enter the first name, or \"Unknown\"") }
        if last.isEmpty { errors.add("last_name", "Enter the last name, or \"Unknown\"") }
        for (field, name, max) in [("first_name", "first name", 100), ("last_name", "last name", 100), ("aliases", "other names", 500),
                                   ("nickname", "name used during the exploitation", 100), ("phone", "phone number", 30),
                                   ("email", "email address", 254), ("address", "address", 500), ("safe_to_contact", "safe contact arrangements", 500),
                                   ("interpreter_language", "language", 100), ("uk_towns", "UK towns", 1000),
                                   ("overseas_countries", "countries", 1000), ("summary", "account", ConcernRules.maximumTextLength),
                                   ("nationality", "nationality", 60), ("second_nationality", "second nationality", 60)] {
            if values[field]!.count > max { errors.add(field, "The \(name) must be \(max) characters or fewer") }
        }
        age = AgeCategory(rawValue: values["age"]!)
        if age == nil { errors.add("age", "Select the person's age, or \"Not sure\"") }
        let dobText = values["date_of_birth"]!
        if !dobText.isEmpty {
            if let dob = Day(parsing: dobText) {
                if dob > today { errors.add("date_of_birth", "The date of birth cannot be in the future") }
                else if dob < Day(year: 1900, month: 1, day: 1)! { errors.add("date_of_birth", "The date of birth cannot be before 1900") }
                else if let age, age != .notSure {
                    let isChild = dob.adding(months: 18 * 12) > today
                    if isChild && age == .adult { errors.add("age", "The date of birth says the person is under 18") }
                    if !isChild && age == .under18 { errors.add("age", "The date of birth says the person is 18 or over") }
                }
            } else {
                errors.add("date_of_birth", "Enter the date of birth as a real date, like 2008-03-31 or 31/03/2008")
            }
        }
        under18AtExploitation = Answer(rawValue: values["under18_at_exploitation"]!) ?? (age == .under18 ? .yes : .notSure)
        gender = RecordedGender(rawValue: values["gender"]!)
        if gender == nil { errors.add("gender", "Select the gender, or \"Other or not known\"") }
        if values["nationality"]!.isEmpty { errors.add("nationality", "Enter the nationality, or \"Unknown\"") }
        let email = values["email"]!
        if !email.isEmpty && !(email.contains("@") && !email.contains(" ")) { errors.add("email", "Enter an email address like name@example.com") }
        if types.isEmpty { errors.add("types", "Select at least one kind of exploitation; choose \"Other\" if none fits") }
        location = ExploitationLocation(rawValue: values["location"]!)
        if location == nil { errors.add("location", "Select where the exploitation happened, or \"Not known\"") }
        if (location == .uk || location == .both) && values["uk_towns"]!.isEmpty { errors.add("uk_towns", "Enter at least one UK town, or \"Unknown\"") }
        if (location == .overseas || location == .both) && values["overseas_countries"]!.isEmpty { errors.add("overseas_countries", "Enter at least one country, or \"Unknown\"") }
        if types.contains(ExploitationType.other.rawValue) && values["summary"]!.isEmpty { errors.add("summary", "Describe the exploitation when you choose \"Other\"") }
        teamID = UUID(uuidString: values["team"]!)

        secrets.firstName = first
        secrets.lastName = last
        secrets.aliases = values["aliases"]!
        secrets.nickname = values["nickname"]!
        secrets.dateOfBirth = Day(parsing: dobText)?.iso ?? ""
        secrets.phone = values["phone"]!
        secrets.email = email
        secrets.address = values["address"]!
        secrets.safeToContact = values["safe_to_contact"]!
        secrets.interpreterLanguage = values["interpreter_language"]!
        secrets.exploitationSummary = values["summary"]!
        secrets.ukTowns = values["uk_towns"]!
        secrets.overseasCountries = values["overseas_countries"]!
    }

    /// Values to show when editing an existing case.
    static func values(of c: SafeguardingCase, _ s: SafeguardingCase.Secrets) -> (values: [String: String], types: Set<String>) {
        ([
            "first_name": s.firstName, "last_name": s.lastName, "aliases": s.aliases, "nickname": s.nickname,
            "date_of_birth": s.dateOfBirth, "age": c.age.rawValue, "under18_at_exploitation": c.under18AtExploitation.rawValue,
            "gender": c.gender.rawValue, "nationality": c.nationality, "second_nationality": c.secondNationality ?? "",
            "phone": s.phone, "email": s.email, "address": s.address, "safe_to_contact": s.safeToContact,
            "interpreter_language": s.interpreterLanguage, "county_lines": c.countyLines ? "yes" : "", "location": c.location.rawValue,
            "uk_towns": s.ukTowns, "overseas_countries": s.overseasCountries, "summary": s.exploitationSummary,
            "team": c.$team.id?.uuidString ?? "", "willing_to_cooperate": c.willingToCooperate ? "yes" : "",
        ], Set(c.types.map(\.rawValue)))
    }

    /// Copies the checked values onto the case and seals the secrets.
    func apply(to c: SafeguardingCase, cipher: FieldCipher, lookup: LookupKeys) throws {
        c.age = age!
        c.under18AtExploitation = under18AtExploitation
        c.gender = gender!
        c.nationality = Self.tidyNationality(values["nationality"]!)
        c.secondNationality = values["second_nationality"]!.isEmpty ? nil : Self.tidyNationality(values["second_nationality"]!)
        c.exploitationTypes = ExploitationType.allCases.filter { types.contains($0.rawValue) }.map(\.rawValue).joined(separator: ",")
        c.countyLines = values["county_lines"] == "yes"
        c.location = location!
        c.willingToCooperate = values["willing_to_cooperate"] == "yes"
        if let teamID { c.$team.id = teamID }
        let known = !secrets.lastName.isEmpty && secrets.lastName.lowercased() != "unknown" && !secrets.dateOfBirth.isEmpty
        c.personIndex = known ? lookup.blindIndex("\(secrets.lastName)|\(secrets.dateOfBirth)", purpose: "person") : nil
        try c.seal(secrets, with: cipher)
    }

    /// "british " → "British", so the statistics count one spelling.
    static func tidyNationality(_ raw: String) -> String {
        if let known = nationalities.first(where: { $0.lowercased() == raw.lowercased() }) { return known }
        return raw.prefix(1).uppercased() + raw.dropFirst()
    }
}
