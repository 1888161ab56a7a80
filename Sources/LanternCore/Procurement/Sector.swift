/// The sectors a supplier works in, in the vocabulary of the UK modern slavery statement
/// registry (23 sectors including the public sector; `shared/docs/domain/statements.md` §7),
/// each with its inherent risk band for the PPN 02/23 "industry type" characteristic.
///
/// Bands (1 low to 4 high) follow `shared/docs/domain/suppliers.md` §3: the PPN 02/23
/// high-risk industries (agriculture, mining, logging, fishing; construction; manufacturing
/// and electronics; garments, textiles and footwear; food processing; hospitality, security,
/// cleaning and catering; warehousing and transport; healthcare and social care) and the UK
/// hotspots (car washes, nail bars, block paving) score highest.
public enum Sector: String, CaseIterable, Codable, Sendable {
    case agriculture = "agriculture_forestry_fishing"
    case automotive = "automotive_machinery"
    case charitable = "charitable"
    case cleaningSecurity = "cleaning_security"
    case construction = "construction"
    case consumerServices = "consumer_services"
    case education = "education"
    case energyUtilities = "energy_utilities"
    case financial = "financial_services"
    case foodBeverages = "food_beverages"
    case healthSocialCare = "health_social_care"
    case hospitality = "hospitality_catering"
    case itTelecoms = "it_telecoms"
    case manufacturing = "manufacturing_electronics"
    case media = "media_entertainment"
    case mining = "mining_oil_gas"
    case pharmaceuticals = "pharmaceuticals"
    case professional = "professional_services"
    case property = "property"
    case publicSector = "public_sector"
    case retail = "retail_wholesale"
    case textiles = "textiles_clothing_footwear"
    case transport = "transport_logistics"

    public var label: String {
        switch self {
        case .agriculture: "Agriculture, forestry and fishing"
        case .automotive: "Automotive, machinery and heavy electrical equipment"
        case .charitable: "Charitable / not-for-profit activities"
        case .cleaningSecurity: "Cleaning and security services"
        case .construction: "Construction, civil engineering and building products"
        case .consumerServices: "Consumer services"
        case .education: "Education"
        case .energyUtilities: "Energy and utilities"
        case .financial: "Financial services"
        case .foodBeverages: "Food and beverages"
        case .healthSocialCare: "Healthcare and social care"
        case .hospitality: "Hospitality, leisure and catering"
        case .itTelecoms: "Information technology and telecommunications"
        case .manufacturing: "Manufacturing and electronics"
        case .media: "Media and entertainment"
        case .mining: "Mining, oil and gas"
        case .pharmaceuticals: "Pharmaceuticals and life sciences"
        case .professional: "Professional services"
        case .property: "Property and real estate"
        case .publicSector: "Public sector"
        case .retail: "Retail and wholesale"
        case .textiles: "Textiles, clothing and footwear"
        case .transport: "Transport, warehousing and logistics"
        }
    }

    /// Inherent risk of the industry, 1 (low) to 4 (high).
    public var band: Int {
        switch self {
        case .agriculture, .cleaningSecurity, .construction, .foodBeverages, .hospitality, .textiles, .mining:
            4
        case .manufacturing, .transport, .healthSocialCare, .consumerServices:
            3
        case .automotive, .energyUtilities, .itTelecoms, .retail, .pharmaceuticals, .property:
            2
        case .charitable, .education, .financial, .media, .professional, .publicSector:
            1
        }
    }

    /// Reads a code or a label, ignoring case and punctuation, so finance-system exports
    /// ("Construction", "construction, civil engineering…") and Lantern's own export both load.
    public init?(matching text: String) {
        let key = Sector.normalise(text)
        guard !key.isEmpty else { return nil }
        if let exact = Sector.byKey[key] {
            self = exact
            return
        }
        // A single recognisable word: "Cleaning", "Catering", "Logistics".
        if let partial = Sector.byWord[key] {
            self = partial
            return
        }
        return nil
    }

    /// Codes and labels, normalised once: imports match tens of thousands of rows.
    private static let byKey: [String: Sector] = Dictionary(
        allCases.flatMap { [(normalise($0.rawValue), $0), (normalise($0.label), $0)] }, uniquingKeysWith: { first, _ in first })
    private static let byWord: [String: Sector] = Dictionary(
        allCases.flatMap { sector in normalise(sector.label).split(separator: " ").map { (String($0), sector) } }, uniquingKeysWith: { first, _ in first })

    static func normalise(_ text: String) -> String {
        String(text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : " " })
            .split(separator: " ").filter { $0 != "and" }.joined(separator: " ")
    }
}

/// Annual turnover band, as the statement registry asks it. The s54 duty to publish a
/// statement starts at £36m (Modern Slavery Act 2015 s54(2)(b); SI 2015/1833).
public enum TurnoverBand: String, CaseIterable, Codable, Sendable {
    case under36m = "under_36m"
    case from36to60m = "36m_to_60m"
    case from60to100m = "60m_to_100m"
    case from100to500m = "100m_to_500m"
    case over500m = "over_500m"

    public var label: String {
        switch self {
        case .under36m: "Under £36m"
        case .from36to60m: "£36m to £60m"
        case .from60to100m: "£60m to £100m"
        case .from100to500m: "£100m to £500m"
        case .over500m: "Over £500m"
        }
    }

    /// Whether a commercial organisation in this band must publish a statement.
    public var meetsSection54Threshold: Bool { self != .under36m }

    public init?(matching text: String) {
        guard let band = TurnoverBand.byKey[TurnoverBand.key(text)] else { return nil }
        self = band
    }

    private static func key(_ text: String) -> String { text.lowercased().filter { $0.isLetter || $0.isNumber } }
    private static let byKey: [String: TurnoverBand] = Dictionary(
        allCases.flatMap { [(key($0.rawValue), $0), (key($0.label), $0)] }, uniquingKeysWith: { first, _ in first })
}
