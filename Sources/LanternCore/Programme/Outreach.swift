/// Training and awareness beyond the organisation's own staff: sessions for local professionals
/// (GPs, landlords, hotel staff …) and community groups. The annual statement reports them next
/// to staff training.
///
/// Source: the London borough's strategy proposal (`shared/seeds/004_c8431f99db401eb8.txt`: train
/// local professionals and the community) and the metropolitan borough's statement
/// (`shared/seeds/003_cb3703bc337639d5.txt`: the "Understanding Exploitation" course co-delivered
/// with the police for professionals across the borough).
public enum OutreachAudience: String, CaseIterable, Codable, Sendable {
    case professionals
    case community

    public var label: String {
        switch self {
        case .professionals: "Local professionals"
        case .community: "Community groups"
        }
    }
}

/// A year's outreach, for the statement: events, people reached, by audience and by sector.
public struct OutreachSummary: Codable, Sendable, Equatable {
    public var events = 0
    public var attendees = 0
    public var professionals = 0
    public var community = 0
    /// Sectors with the most attendees, most first.
    public var sectors: [String] = []
    public var feedbackResponses = 0
    public var feedbackUseful = 0

    public init() {}

    /// "We ran 4 sessions for local professionals and community groups, reaching 96 people (…)."
    public var sentence: String? {
        guard events > 0 else { return nil }
        var text = "Beyond our own staff, we ran \(events) modern slavery awareness \(events == 1 ? "session" : "sessions") for local professionals and community groups, reaching \(attendees) \(attendees == 1 ? "person" : "people") (\(professionals) professionals, \(community) from community groups)"
        if !sectors.isEmpty { text += ", mostly in \(sectors.prefix(3).joined(separator: ", "))" }
        text += "."
        if feedbackResponses > 0, let percent = PublishedRounding.percent(feedbackUseful, of: feedbackResponses) {
            text += " \(percent)% of the \(feedbackResponses) who gave feedback found it useful."
        }
        return text
    }
}
