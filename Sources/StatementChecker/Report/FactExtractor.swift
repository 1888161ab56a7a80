import Foundation

/// The facts a reader looks for first: who, which period, who approved it and when, who
/// signed it, and which Acts it cites. Pattern-based; each pattern follows statements.md §2.
enum FactExtractor {
    static let month = #"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"#
    static var date: String { #"(?:\d{1,2}(?:st|nd|rd|th)?\s+"# + month + #"\s+\d{4}|"# + month + #"\s+\d{1,2},?\s+\d{4}|\d{1,2}/\d{1,2}/\d{4})"# }

    static func regex(_ pattern: String) -> NSRegularExpression {
        try! NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
    }

    static func firstMatch(_ pattern: NSRegularExpression, in text: String) -> [String?]? {
        guard let m = pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        return (0..<m.numberOfRanges).map { i in Range(m.range(at: i), in: text).map { String(text[$0]) } }
    }

    static let approvalPattern = regex(#"\bapproved\s+by\s+(?:the\s+)?((?:[A-Z][\w&’'-]*\s+){0,4}(?:board(?:\s+of\s+directors)?|directors|cabinet|council|members|trustees|governing\s+body|committee|executive|partners))(?:[^.]{0,80}?\b(?:on|at its meeting (?:held )?on|dated)\s+("# + date + "))?")
    static let approvalDatePattern = regex(#"\b(?:approved|adopted)\b[^.]{0,120}?("# + date + ")")
    static let periodRange = regex("(?:from|between|period)?\\s*(" + date + #")\s*(?:to|until|and|-|–)\s*("# + date + ")")
    static let yearEnding = regex(#"(?:financial|reporting|fiscal)?\s*(?:year|period)\s+(?:ending|ended|to)\s+("# + date + ")")
    static let signedBy = regex(#"\bsigned(?:\s+on\s+behalf\s+of[^:,]{0,60})?(?:\s+by)?\s*[:,]?\s*([A-Z][a-z]+(?:\s+[A-Z][a-z'’-]+){1,3})(?:\s*[,–-]\s*|\s+)((?:Group\s+|Deputy\s+|Interim\s+)?(?:Chief\s+Executive(?:\s+Officer)?|CEO|Managing\s+Director|Director[\w ]{0,30}|Chair(?:man|person)?(?:\s+of\s+the\s+Board)?|Chief\s+[A-Z]\w+\s+Officer|Leader\s+of\s+the\s+Council|Partner|Designated\s+Member))"#)
    static let nameThenRole = regex(#"\b([A-Z][a-z]+(?:\s+[A-Z][a-z'’-]+){1,2})\s*[,–-]?\s+((?:Group\s+|Deputy\s+|Interim\s+)?(?:Chief\s+Executive(?:\s+Officer)?|CEO|Managing\s+Director|Chair(?:man|person)?(?:\s+of\s+the\s+Board)?|Chief\s+[A-Z]\w+\s+Officer|Leader\s+of\s+the\s+Council|Director(?:\s+of\s+[A-Z][\w ]{0,30})?))\b"#)
    /// Signature blocks laid out as labels: "Designated member's name: Nicholas Rushton".
    static let labelledName = try! NSRegularExpression(pattern:
        #"\b((?:Designated member|Director|Chief Executive|Chair(?:man|person)?|Partner|Signatory))[’']?s?\s+name\s*:\s*([A-Z][a-z]+(?:\s+[A-Z][a-z'’-]+){1,3})"#)
    static let nameLabel = try! NSRegularExpression(pattern: #"\b(Designated member|Director|Chief Executive|Chair(?:man|person)?|Partner|Signatory)[’']?s?\s+name\s*:\s*$"#)
    static let leadingName = try! NSRegularExpression(pattern: #"^([A-Z][a-z]+(?:\s+[A-Z][a-z'’-]+){1,2})\b"#)
    static let organisationPattern = try! NSRegularExpression(pattern:
        #"\b((?:[A-Z][\w&’'.-]*\s+){0,5}(?:Limited|Ltd|plc|PLC|LLP|Council|County Council|Borough Council|City Council|Group|Trust|Housing Association|Association|Partnership|Pty Ltd|Corporation|Inc))\b"#)
    /// Acts a statement may cite: the words to look for (any of them, case-insensitive), and the name to report.
    static let acts: [([String], String)] = [
        (["modern slavery act 2015"], "Modern Slavery Act 2015 (UK)"),
        (["modern slavery act 2018"], "Modern Slavery Act 2018 (Cth, Australia)"),
        (["fighting against forced labour and child labour in supply chains act", "bill s-211"], "Fighting Against Forced Labour and Child Labour in Supply Chains Act (Canada)"),
        (["procurement act 2023"], "Procurement Act 2023"),
        (["public contracts regulations 2015"], "Public Contracts Regulations 2015"),
        (["nationality and borders act 2022"], "Nationality and Borders Act 2022"),
        (["human rights act 1998"], "Human Rights Act 1998"),
        (["care act 2014"], "Care Act 2014"),
    ]
    /// "Statement 2024/25": a UK public-sector financial year, 1 April to 31 March.
    static let financialYearLabel = regex(#"\b(?:statement|financial year|year|FY)\s*(?:for\s+)?(20\d\d)\s*[/–-]\s*(\d{2}|20\d\d)\b"#)
    static let noSteps = regex(#"\b(has|have) not taken any steps\b|\bno steps have been taken\b"#)

    static let datePattern = regex("(" + date + ")")

    /// Maximal runs of exactly four digits: each date the patterns read holds one (its year).
    static func yearCount(_ s: String) -> Int {
        var count = 0, run = 0
        for b in s.utf8 {
            if b >= 0x30 && b <= 0x39 { run += 1 } else { if run == 4 { count += 1 }; run = 0 }
        }
        return run == 4 ? count + 1 : count
    }

    /// `lowered` holds the sentences lower-cased, shared with the rules and the evidence status.
    static func extract(sentences: [String], lowered loweredSentences: [String], fullText: String) -> StatementReport.Facts {
        var facts = StatementReport.Facts()
        // Organisation: the most frequent organisation-like name in the opening sentences.
        var counts: [String: Int] = [:]
        let organisationWords = ["Limited", "Ltd", "plc", "PLC", "LLP", "Council", "Group", "Trust", "Association", "Partnership", "Corporation", "Inc"]
        for s in sentences.prefix(15) where organisationWords.contains(where: { s.hasFragment($0) }) {
            for m in organisationPattern.matches(in: s, range: NSRange(s.startIndex..., in: s)) {
                if let r = Range(m.range(at: 1), in: s) {
                    let name = String(s[r]).trimmedSpaces
                    if name.split(separator: " ").count >= 2 { counts[name, default: 0] += 1 }
                }
            }
        }
        facts.organisation = counts.max { a, b in a.value == b.value ? a.key.count < b.key.count : a.value < b.value }?.key

        // A label such as "Statement 2024/25" gives the period only when no sentence states it.
        var labelled: (start: String, end: String, index: Int, label: String)?
        for (index, (s, lowered)) in zip(sentences, loweredSentences).enumerated() {
            // Cheap checks first: the date and name patterns are slow and rarely apply.
            let years = yearCount(s)
            let hasYear = years > 0
            let hasDate = hasYear && (monthFragments.contains { lowered.hasFragment($0) } || s.hasFragment("/"))
            if hasDate, years >= 2, facts.periodStart == nil, let m = firstMatch(periodRange, in: s), let a = m[1], let b = m[2],
               let start = parseDate(a), let end = parseDate(b), end > start {
                facts.periodStart = a; facts.periodEnd = b; facts.periodSentence = index
                facts.periodMonths = Calendar(identifier: .gregorian).dateComponents([.month], from: start, to: end.addingTimeInterval(86_400)).month
            }
            if hasDate, facts.periodEnd == nil, lowered.hasFragment("end") || lowered.hasFragment(" to "),
               let m = firstMatch(yearEnding, in: s), let end = m[1] {
                facts.periodEnd = end
                facts.periodMonths = 12
                facts.periodSentence = index
            }
            if hasYear, labelled == nil, lowered.hasFragment("statement") || lowered.hasFragment("year") || lowered.hasFragment("fy"),
               let m = firstMatch(financialYearLabel, in: s), let a = m[1].flatMap({ Int($0) }), let b = m[2] {
                let endYear = b.count == 2 ? (a / 100) * 100 + Int(b)! : Int(b)!
                if endYear == a + 1 { labelled = ("1 April \(a)", "31 March \(endYear)", index, "\(a)/\(b)") }
            }
            if facts.approvingBody == nil, lowered.hasFragment("approved"), let m = firstMatch(approvalPattern, in: s), let body = m[1] {
                facts.approvingBody = body.trimmedSpaces
                facts.approvalDate = m[2] ?? firstMatch(approvalDatePattern, in: s)?[1]
            }
            if facts.signatoryName == nil, lowered.hasFragment("signed"), let m = firstMatch(signedBy, in: s) {
                facts.signatoryName = m[1]; facts.signatoryRole = m[2]?.trimmedSpaces
            }
        }
        if facts.periodEnd == nil, let labelled {
            facts.periodStart = labelled.start; facts.periodEnd = labelled.end; facts.periodMonths = 12
            facts.periodSentence = labelled.index; facts.periodInferredFrom = labelled.label
        }
        if facts.signatoryName == nil {
            let tail = Array(sentences.suffix(10))
            for (k, s) in tail.enumerated() {
                if let m = firstMatch(labelledName, in: s) { facts.signatoryName = m[2]; facts.signatoryRole = m[1]; break }
                // The label on one line and the name on the next.
                if let label = firstMatch(nameLabel, in: s), k + 1 < tail.count,
                   let name = firstMatch(leadingName, in: tail[k + 1]) {
                    facts.signatoryName = name[1]; facts.signatoryRole = label[1]; break
                }
            }
        }
        if facts.signatoryName == nil {
            // The signature block is usually the last lines: "Jane Smith Chief Executive".
            for s in sentences.suffix(6).reversed() {
                if let m = firstMatch(nameThenRole, in: s) { facts.signatoryName = m[1]; facts.signatoryRole = m[2]; break }
            }
        }
        for s in sentences.suffix(8).reversed() where yearCount(s) > 0 {
            if let d = firstMatch(datePattern, in: s)?[1] { facts.statementDate = d; break }
        }
        if facts.statementDate == nil { facts.statementDate = facts.approvalDate }
        let loweredText = fullText.lowercased()
        for (phrases, name) in acts where phrases.contains(where: { loweredText.hasFragment($0) }) {
            facts.actsCited.append(name)
        }
        facts.noStepsTaken = zip(sentences, loweredSentences).contains { $1.hasFragment("steps") && firstMatch(noSteps, in: $0) != nil }
        return facts
    }

    static let monthFragments = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Formatters are costly to make, so each format has one, used by one thread at a time.
    private static let formatters: [DateFormatter] = ["d MMMM yyyy", "d MMM yyyy", "MMMM d yyyy", "MMM d yyyy", "dd/MM/yyyy", "d/M/yyyy"].map { format in
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter
    }
    private static let formatterLock = NSLock()
    private static let ordinal = try! NSRegularExpression(pattern: #"(\d)(st|nd|rd|th)"#)

    static func parseDate(_ text: String) -> Date? {
        var cleaned = text.replacingOccurrences(of: ",", with: "")
        if cleaned.unicodeScalars.contains(where: { $0 == "s" || $0 == "n" || $0 == "r" || $0 == "t" }) {
            cleaned = ordinal.stringByReplacingMatches(in: cleaned, range: NSRange(cleaned.startIndex..., in: cleaned), withTemplate: "$1")
        }
        formatterLock.lock(); defer { formatterLock.unlock() }
        for formatter in formatters {
            if let d = formatter.date(from: cleaned) { return d }
        }
        return nil
    }

}
