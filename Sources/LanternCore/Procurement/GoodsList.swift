import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// One good × country pair from the US Department of Labor's *List of Goods Produced by Child
/// Labor or Forced Labor* (ILAB). A US federal work, bundled as data by importing the
/// department's XML file, never hard-coded (`shared/docs/domain/suppliers.md` §10).
public struct ListedGood: Sendable, Hashable, Codable {
    public let good: String
    public let goodSector: String
    public let country: String
    public let region: String
    public let childLabour: Bool
    public let forcedLabour: Bool
    public let forcedChildLabour: Bool

    public init(good: String, goodSector: String, country: String, region: String,
                childLabour: Bool, forcedLabour: Bool, forcedChildLabour: Bool) {
        self.good = good
        self.goodSector = goodSector
        self.country = country
        self.region = region
        self.childLabour = childLabour
        self.forcedLabour = forcedLabour
        self.forcedChildLabour = forcedChildLabour
    }

    /// Forced labour of adults or children: the stronger signal for modern slavery.
    public var involvesForcedLabour: Bool { forcedLabour || forcedChildLabour }
}

/// Reads the ILAB XML (`<Goods><Good><Good_Name>…<Countries><Country>…`), the format of
/// `goods_2021.xml` and of newer editions.
public enum GoodsListReader {
    public struct Problem: Error, CustomStringConvertible {
        public let description: String
    }

    public static func read(_ data: Data) throws -> [ListedGood] {
        guard !data.isEmpty else { throw Problem(description: "the goods list file is empty") }
        let delegate = Delegate()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        guard parser.parse() else {
            let line = parser.lineNumber
            throw Problem(description: "the goods list is not well-formed XML (line \(line)): \(parser.parserError?.localizedDescription ?? "parse error")")
        }
        if let problem = delegate.problem { throw problem }
        guard !delegate.pairs.isEmpty else {
            throw Problem(description: "the file holds no <Good> entries with countries; is it the ILAB List of Goods XML?")
        }
        return delegate.pairs
    }

    private final class Delegate: NSObject, XMLParserDelegate {
        var pairs: [ListedGood] = []
        var problem: Problem?
        private var text = ""
        private var good = "", goodSector = ""
        private var country: [String: String] = [:]
        private var inCountry = false

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            text = ""
            if name == "Good" { good = ""; goodSector = "" }
            if name == "Country" { inCountry = true; country = [:] }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            switch name {
            case "Good_Name": good = value
            case "Good_Sector": goodSector = value
            case "Country":
                inCountry = false
                guard let countryName = country["Country_Name"], !countryName.isEmpty, !good.isEmpty else {
                    problem = problem ?? Problem(description: "line \(parser.lineNumber): a <Country> without a name, or outside a named <Good>")
                    return
                }
                func flag(_ key: String) -> Bool { country[key]?.lowercased() == "yes" }
                pairs.append(ListedGood(good: good, goodSector: goodSector, country: countryName, region: country["Country_Region"] ?? "",
                                        childLabour: flag("Child_Labor"), forcedLabour: flag("Forced_Labor"),
                                        forcedChildLabour: flag("Forced_Child_Labor")))
            default:
                if inCountry { country[name] = value }
            }
            text = ""
        }
    }
}

/// The goods list in a form the risk model can ask questions of.
public struct GoodsIndex: Sendable {
    public let pairs: [ListedGood]
    private let byCountry: [String: [ListedGood]]
    private let goodKeys: [(key: String, name: String)]

    public init(_ pairs: [ListedGood]) {
        self.pairs = pairs
        byCountry = Dictionary(grouping: pairs, by: { CountryName.key($0.country) })
        var seen = Set<String>()
        goodKeys = pairs.compactMap { pair in
            guard seen.insert(pair.good).inserted else { return nil }
            return (GoodsIndex.key(pair.good), pair.good)
        }
    }

    public var goodNames: [String] { goodKeys.map(\.name).sorted() }
    public var countryNames: [String] { Array(Set(pairs.map(\.country))).sorted() }

    /// Supplier location band, 1 (low) to 6 (high), derived from the list: a country with
    /// forced labour in three or more goods is 6, in any good 5; child labour in three or
    /// more goods 4, in any 3; a country not on the list 1. Walk Free's Global Slavery Index
    /// would be finer but may not be bundled (suppliers.md §10); the derivation is shown with
    /// every score so an assessor can override it with a rationale.
    public func countryBand(_ country: String) -> (band: Int, reason: String) {
        let listed = byCountry[CountryName.key(country)] ?? []
        let forced = listed.filter(\.involvesForcedLabour).count
        let child = listed.count
        switch (forced, child) {
        case (3..., _): return (6, "\(country): forced labour in \(forced) goods on the ILAB list")
        case (1..., _): return (5, "\(country): forced labour in \(forced == 1 ? "1 good" : "\(forced) goods") on the ILAB list")
        case (_, 3...): return (4, "\(country): child labour in \(child) goods on the ILAB list")
        case (_, 1...): return (3, "\(country): child labour in \(child == 1 ? "1 good" : "\(child) goods") on the ILAB list")
        default: return (1, "\(country): not on the ILAB list")
        }
    }

    /// Goods on the list named in free text such as a contract's category ("Catering: coffee
    /// and tea", "Garments and PPE"), matched on whole words, singular or plural.
    public func goods(mentionedIn text: String) -> [String] {
        let words = Set(GoodsIndex.key(text).split(separator: " ").map(String.init))
        let padded = " " + GoodsIndex.key(text) + " "
        return goodKeys.filter { entry in
            entry.key.contains(" ") ? padded.contains(" " + entry.key + " ") : words.contains(entry.key)
        }.map(\.name).sorted()
    }

    /// The listed pairs for these goods made in these countries.
    public func pairs(goods: [String], countries: [String]) -> [ListedGood] {
        let goodSet = Set(goods.map(GoodsIndex.key))
        return countries.flatMap { byCountry[CountryName.key($0)] ?? [] }.filter { goodSet.contains(GoodsIndex.key($0.good)) }
    }

    public func isListed(good: String) -> Bool {
        let key = GoodsIndex.key(good)
        return goodKeys.contains { $0.key == key }
    }

    /// Lower case, parentheses dropped, plurals folded: "Bricks (clay)" → "brick".
    static func key(_ text: String) -> String {
        var s = text.lowercased()
        while let open = s.firstIndex(of: "("), let close = s[open...].firstIndex(of: ")") {
            s.removeSubrange(open...close)
        }
        return String(s.map { $0.isLetter ? $0 : " " }).split(separator: " ").map { word -> String in
            word.count > 3 && word.hasSuffix("s") && !word.hasSuffix("ss") ? String(word.dropLast()) : String(word)
        }.joined(separator: " ")
    }
}

/// Country names as people and lists spell them, folded to one key.
public enum CountryName {
    static let aliases: [String: String] = [
        "myanmar": "burma", "turkiye": "turkey", "ivory coast": "cote d ivoire",
        "drc": "democratic republic of the congo", "dr congo": "democratic republic of the congo",
        "congo democratic republic": "democratic republic of the congo",
        "north korea": "korea north", "uk": "united kingdom", "great britain": "united kingdom",
        "britain": "united kingdom", "usa": "united states", "us": "united states",
    ]

    public static func key(_ name: String) -> String {
        var s = name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        // "Turkey (Türkiye)": the name before the bracket.
        if let open = s.firstIndex(of: "(") { s = String(s[..<open]) }
        let words = String(s.map { $0.isLetter ? $0 : " " }).split(separator: " ").filter { $0 != "the" && $0 != "of" && $0 != "and" }
        let folded = words.joined(separator: " ")
        if let alias = aliases[folded] { return key(alias) }
        return folded
    }
}
