/// The indicator checklist, grouped by exploitation type. No list is exhaustive, so every
/// group offers "other" with a note.
///
/// Source: `shared/docs/domain/referrals.md` §5 (Home Office First Responder Toolkit, v2 April 2026).
public struct Indicator: Sendable, Hashable, Identifiable {
    public let id: String
    public let label: String
    public let group: IndicatorGroup
}

public enum IndicatorGroup: String, CaseIterable, Codable, Sendable {
    case general, labour, sexual, criminal
    case domesticServitude = "domestic_servitude"
    case child
    case organRemoval = "organ_removal"

    public var heading: String {
        switch self {
        case .general: "General signs"
        case .labour: "Labour exploitation"
        case .sexual: "Sexual exploitation"
        case .criminal: "Criminal exploitation, including county lines"
        case .domesticServitude: "Domestic servitude"
        case .child: "Signs specific to children"
        case .organRemoval: "Organ removal"
        }
    }
}

/// Where the observation came from (`referrals.md` §5).
public enum IndicatorSource: String, CaseIterable, Codable, Sendable {
    case disclosed, observed, documentary
    case thirdParty = "third_party"

    public var label: String {
        switch self {
        case .disclosed: "Disclosed by the person"
        case .observed: "Observed"
        case .documentary: "From documents"
        case .thirdParty: "Reported by someone else"
        }
    }
}

/// One indicator seen, with its source and context.
public struct IndicatorObservation: Codable, Sendable, Equatable {
    public var indicatorID: String
    public var source: IndicatorSource
    public var context: String

    public init(indicatorID: String, source: IndicatorSource, context: String = "") {
        self.indicatorID = indicatorID
        self.source = source
        self.context = context
    }
}

public enum IndicatorCatalogue {
    private static func group(_ g: IndicatorGroup, _ items: [(String, String)]) -> [Indicator] {
        items.map { Indicator(id: "\(g.rawValue).\($0.0)", label: $0.1, group: g) }
    }

    public static let all: [Indicator] =
        group(.general, [
            ("against_will", "Works against their will"),
            ("cannot_leave", "Cannot leave work or home"),
            ("movements_controlled", "Movements are controlled"),
            ("others_speak", "Others speak for them"),
            ("acts_instructed", "Acts as if instructed by someone else"),
            ("fear", "Shows fear or anxiety"),
            ("violence_threats", "Violence or threats against them or their family"),
            ("injuries", "Injuries from assault or control"),
            ("distrusts_authorities", "Distrusts the authorities"),
            ("threatened_reported", "Threatened with being reported to the authorities"),
            ("immigration_fear", "Afraid to reveal their immigration status"),
            ("id_held", "ID held by someone else, false, or absent"),
            ("source_area", "Comes from a known source area"),
            ("travel_debt", "Owes travel costs as a debt"),
            ("no_language", "Does not speak the local language"),
            ("unknown_address", "Does not know their home or work address"),
            ("little_pay", "Little or no pay"),
            ("no_earnings_access", "No access to their earnings"),
            ("long_hours", "Works long hours"),
            ("no_days_off", "No days off"),
            ("punished", "Is punished"),
            ("cannot_negotiate", "Cannot negotiate their conditions"),
            ("debt_bondage", "Sees themselves as bound by a debt"),
            ("false_promises", "Acted on false promises"),
            ("poor_accommodation", "Poor accommodation"),
            ("no_medical_care", "No medical care"),
            ("isolated", "Isolated"),
            ("little_family_contact", "Little contact with family"),
            ("cannot_communicate", "Cannot communicate freely"),
            ("dependent", "Dependent on others"),
            ("likely_place", "Found where exploitation is likely"),
        ]) + group(.labour, [
            ("no_ppe", "No protective equipment or unsuitable clothing"),
            ("quota", "A daily earnings quota"),
            ("unsafe", "Unsafe working conditions"),
            ("deductions", "Heavy deductions from pay, or fines"),
            ("no_contract", "No contract"),
            ("moved_sites", "Moved between work sites"),
            ("accompanied", "Always accompanied"),
            ("lives_at_work", "Lives at the workplace"),
            ("overcrowding", "Overcrowded housing"),
            ("little_food", "Too little food"),
            ("same_clothes", "Wears the same clothes every day"),
            ("unusual_travel", "Travels at unusual times"),
            ("scripted_story", "Tells a scripted story similar to others'"),
            ("cannot_name_employer", "Cannot name their employer"),
        ]) + group(.sexual, [
            ("sexual_vocabulary", "Vocabulary limited to sexual words"),
            ("closely_guarded", "Closely guarded"),
            ("untreated_injuries", "Untreated injuries"),
            ("branding", "Branding or ownership tattoos"),
            ("takes_cues", "Takes cues from others"),
            ("ritual_abuse", "Signs of ritual abuse"),
            ("keeps_no_earnings", "Keeps none of their earnings"),
            ("few_clothes", "Few clothes, mostly for sex work"),
            ("no_cash_id", "No cash or ID"),
            ("moved_brothels", "Premises: people moved between brothels"),
            ("cctv_door", "Premises: CCTV at the door"),
            ("bank_of_phones", "Premises: a bank of phones"),
            ("sparse_furnishing", "Premises: sparse furnishing, workers living on site"),
            ("internal_locks", "Premises: internal locks or sealed letterboxes"),
            ("several_women", "Premises: several foreign women at one address"),
            ("short_visits", "Premises: short male visits day and night"),
            ("adverts", "Adverts nearby, including by ethnicity"),
        ]) + group(.criminal, [
            ("absence", "Unexplained absence from school or work"),
            ("missing", "Missing episodes"),
            ("unexplained_travel", "Travels for no clear reason"),
            ("older_friend", "An older \"friend\""),
            ("aggression", "Aggression"),
            ("unexplained_money", "Unexplained money or goods"),
            ("gang_signs", "Gang colours, tattoos or new slang"),
            ("secretive_online", "Secretive online"),
            ("extra_phones", "Extra phones"),
            ("weapons", "Carries weapons"),
            ("substance_use", "Drug or alcohol use"),
            ("unknown_keys", "Hotel keys or keys to unknown places"),
            ("forced_begging", "Forced begging or street crime"),
            ("cuckooing", "Cuckooing (home taken over)"),
            ("cannabis_farm", "Cannabis farm signs: covered windows, vents, electricity bypass"),
            ("sham_marriage", "Sham marriage or benefit fraud"),
        ]) + group(.domesticServitude, [
            ("kept_apart", "Kept apart from the family"),
            ("eats_alone", "Eats alone or gets leftovers"),
            ("on_call", "On call 24 hours"),
            ("no_bed", "No proper bed or private space"),
            ("barred_rooms", "Barred from rooms"),
            ("never_alone", "Never goes out alone, or only on the school run"),
            ("no_phone_documents", "No phone, cash, bank access or documents"),
            ("unaware_events", "Unaware of current events"),
            ("malnourished", "Malnourished or injured"),
            ("poorer_clothing", "Poorer clothing than the family"),
            ("afraid_household", "Afraid of people in the household or of authority"),
        ]) + group(.child, [
            ("no_guardian_access", "No access to parents or guardians"),
            ("intimidated", "Intimidated"),
            ("unusual_behaviour", "Behaviour unusual for their age"),
            ("no_friends", "No friends of their own age"),
            ("no_schooling", "Not in school"),
            ("no_play", "No time to play"),
            ("lives_apart", "Lives or eats apart from other children"),
            ("unsuitable_work", "Work unsuitable for a child"),
            ("travels_alone", "Travels alone or with adults who are not relatives"),
            ("taxi_numbers", "Carries taxi numbers"),
            ("found_child", "An adult says they \"found\" the child"),
            ("child_items", "Child-sized work or sex-work clothing, toys or beds where exploitation happens"),
            ("illegal_adoption", "Illegal adoption"),
        ]) + group(.organRemoval, [
            ("forced_donation", "Forced or deceived into giving an organ"),
            ("unpaid_sale", "Sold an organ but was unpaid or underpaid"),
            ("removed_unknowingly", "Organ removed during treatment without their knowledge"),
        ])

    public static let byID: [String: Indicator] = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })

    public static func indicators(in group: IndicatorGroup) -> [Indicator] { all.filter { $0.group == group } }

    /// Whether any of the given indicators is one of the child-specific signs.
    public static func includesChildIndicator(_ ids: some Sequence<String>) -> Bool {
        ids.contains { byID[$0]?.group == .child }
    }
}
