import Foundation
import LanternCore
import Vapor

/// The potential victim's details, as a caseworker enters them, checked.
/// Source: `shared/docs/domain/referrals.md` §3.2 and §3.3.
struct CaseForm {
    struct Fields: Content {
        @FormField var first_name: String = ""
        @FormField var last_name: String = ""
        @FormField var aliases: String = ""
        @FormField var nickname: String = ""
        @FormField var date_of_birth: String = ""
        @FormField var age: String = ""
        @FormField var under18_at_exploitation: String = ""
        @FormField var gender: String = ""
        @FormField var nationality: String = ""
        @FormField var second_nationality: String = ""
        @FormField var phone: String = ""
        @FormField var email: String = ""
        @FormField var address: String = ""
        @FormField var safe_to_contact: String = ""
        @FormField var interpreter_language: String = ""
        @FormList var types: [String] = []
        @FormField var county_lines: String = ""
        @FormField var location: String = ""
        /// A name from the organisation's list of areas, or empty for not known.
        @FormField var area: String = ""
        @FormField var uk_towns: String = ""
        @FormField var overseas_countries: String = ""
        @FormField var summary: String = ""
        @FormField var team: String = ""
        @FormField var willing_to_cooperate: String = ""
        /// For a case that began before it is entered: the day, and why it is entered later.
        @FormField var opened_on: String = ""
        @FormField var opened_on_reason: String = ""
    }

    /// What was typed, as the form names it, to fill the form again.
    var values: [String: String] = [:]
    let fields: Fields
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
        fields = f
        let pairs: [(String, String)] = [
            ("first_name", f.first_name), ("last_name", f.last_name), ("aliases", f.aliases),
            ("nickname", f.nickname), ("date_of_birth", f.date_of_birth), ("age", f.age),
            ("under18_at_exploitation", f.under18_at_exploitation), ("gender", f.gender), ("nationality", f.nationality),
            ("second_nationality", f.second_nationality), ("phone", f.phone), ("email", f.email), ("address", f.address),
            ("safe_to_contact", f.safe_to_contact), ("interpreter_language", f.interpreter_language), ("county_lines", f.county_lines),
            ("location", f.location), ("area", f.area), ("uk_towns", f.uk_towns), ("overseas_countries", f.overseas_countries), ("summary", f.summary),
            ("team", f.team), ("willing_to_cooperate", f.willing_to_cooperate),
            ("opened_on", f.opened_on), ("opened_on_reason", f.opened_on_reason),
        ]
        for (k, v) in pairs { values[k] = v }
        types = Set(f.types.filter { ExploitationType(rawValue: $0) != nil })

        let first = f.first_name, last = f.last_name
        if first.isEmpty { errors.add("first_name", "Enter the first name, or \"Unknown\"") }
        if last.isEmpty { errors.add("last_name", "Enter the last name, or \"Unknown\"") }
        for (field, name, max) in [("first_name", "first name", 100), ("last_name", "last name", 100), ("aliases", "other names", 500),
                                   ("nickname", "name used during the exploitation", 100), ("phone", "phone number", 30),
                                   ("email", "email address", 254), ("address", "address", 500), ("safe_to_contact", "safe contact arrangements", 500),
                                   ("interpreter_language", "language", 100), ("uk_towns", "UK towns", 1000),
                                   ("overseas_countries", "countries", 1000), ("summary", "account", ConcernRules.maximumTextLength),
                                   ("nationality", "nationality", 60), ("second_nationality", "second nationality", 60)] {
            if (values[field] ?? "").count > max { errors.add(field, "The \(name) must be \(max) characters or fewer") }
        }
        age = AgeCategory(rawValue: f.age)
        if age == nil { errors.add("age", "Select the person's age, or \"Not sure\"") }
        let dobText = f.date_of_birth
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
        under18AtExploitation = Answer(rawValue: f.under18_at_exploitation) ?? (age == .under18 ? .yes : .notSure)
        gender = RecordedGender(rawValue: f.gender)
        if gender == nil { errors.add("gender", "Select the gender, or \"Other or not known\"") }
        if f.nationality.isEmpty { errors.add("nationality", "Enter the nationality, or \"Unknown\"") }
        let email = f.email
        if !email.isEmpty && !(email.contains("@") && !email.contains(" ")) { errors.add("email", "Enter an email address like name@example.com") }
        if types.isEmpty { errors.add("types", "Select at least one kind of exploitation; choose \"Other\" if none fits") }
        location = ExploitationLocation(rawValue: f.location)
        // Every error in one pass: with no place chosen yet, the towns or countries that each
        // choice needs are asked for now, not after the next submit.
        if location == nil {
            errors.add("location", "Select where the exploitation happened, or \"Not known\"")
            if f.uk_towns.isEmpty && f.overseas_countries.isEmpty {
                errors.add("uk_towns", "Enter the UK towns or the countries where it happened, or \"Unknown\", unless you choose \"Not known\"")
            }
        }
        if (location == .uk || location == .both) && f.uk_towns.isEmpty { errors.add("uk_towns", "Enter at least one UK town, or \"Unknown\"") }
        if (location == .overseas || location == .both) && f.overseas_countries.isEmpty { errors.add("overseas_countries", "Enter at least one country, or \"Unknown\"") }
        if types.contains(ExploitationType.other.rawValue) && f.summary.isEmpty { errors.add("summary", "Describe the exploitation when you choose \"Other\"") }
        teamID = UUID(uuidString: f.team)

        secrets.firstName = first
        secrets.lastName = last
        secrets.aliases = f.aliases
        secrets.nickname = f.nickname
        secrets.dateOfBirth = Day(parsing: dobText)?.iso ?? ""
        secrets.phone = f.phone
        secrets.email = email
        secrets.address = f.address
        secrets.safeToContact = f.safe_to_contact
        secrets.interpreterLanguage = f.interpreter_language
        secrets.exploitationSummary = f.summary
        secrets.ukTowns = f.uk_towns
        secrets.overseasCountries = f.overseas_countries
    }

    /// An area must be one on the organisation's list, so figures by area add up.
    mutating func checkArea(in areas: [String]) {
        guard !fields.area.isEmpty, !areas.contains(fields.area) else { return }
        errors.add("area", areas.isEmpty ? "The organisation has no list of areas yet, so leave the area as not known"
                                         : "Choose an area from the list, or \"Not known\"")
    }

    /// Values to show when editing an existing case.
    static func values(of c: SafeguardingCase, _ s: SafeguardingCase.Secrets) -> (values: [String: String], types: Set<String>) {
        ([
            "first_name": s.firstName, "last_name": s.lastName, "aliases": s.aliases, "nickname": s.nickname,
            "date_of_birth": s.dateOfBirth, "age": c.age.rawValue, "under18_at_exploitation": c.under18AtExploitation.rawValue,
            "gender": c.gender.rawValue, "nationality": c.nationality, "second_nationality": c.secondNationality ?? "",
            "phone": s.phone, "email": s.email, "address": s.address, "safe_to_contact": s.safeToContact,
            "interpreter_language": s.interpreterLanguage, "county_lines": c.countyLines ? "yes" : "", "location": c.location.rawValue, "area": c.area ?? "",
            "uk_towns": s.ukTowns, "overseas_countries": s.overseasCountries, "summary": s.exploitationSummary,
            "team": c.$team.id?.uuidString ?? "", "willing_to_cooperate": c.willingToCooperate ? "yes" : "",
        ], Set(c.types.map(\.rawValue)))
    }

    /// Copies the checked values onto the case and seals the secrets.
    func apply(to c: SafeguardingCase, cipher: FieldCipher, lookup: LookupKeys) throws {
        c.age = age!
        c.under18AtExploitation = under18AtExploitation
        c.gender = gender!
        c.nationality = Self.tidyNationality(fields.nationality)
        c.secondNationality = fields.second_nationality.isEmpty ? nil : Self.tidyNationality(fields.second_nationality)
        c.exploitationTypes = ExploitationType.allCases.filter { types.contains($0.rawValue) }.map(\.rawValue).joined(separator: ",")
        c.countyLines = values["county_lines"] == "yes"
        c.location = location!
        c.area = fields.area.isEmpty ? nil : fields.area
        c.willingToCooperate = values["willing_to_cooperate"] == "yes"
        if let teamID { c.$team.id = teamID }
        c.personIndex = SafeguardingCase.personIndex(secrets, lookup: lookup)
        c.nameIndex = CaseNameIndex.value(secrets, lookup: lookup) ?? " "
        try c.seal(secrets, with: cipher)
    }

    /// "british " → "British", so the statistics count one spelling.
    static func tidyNationality(_ raw: String) -> String {
        if let known = nationalities.first(where: { $0.lowercased() == raw.lowercased() }) { return known }
        return raw.sentenceCased
    }
}
