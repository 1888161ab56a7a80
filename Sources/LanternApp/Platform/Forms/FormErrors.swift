import Vapor

/// The one form-validation pattern: collect messages per field in order, then re-render the
/// form with an error summary at the top, each message beside its field, and every value
/// the person typed kept.
struct FormErrors: Encodable, Sendable {
    struct Item: Encodable, Sendable {
        let field: String
        let message: String
    }

    private(set) var items: [Item] = []

    init() {}

    init(_ pairs: [(field: String, message: String)]) {
        items = pairs.map { Item(field: $0.field, message: $0.message) }
    }

    mutating func add(_ field: String, _ message: String) {
        items.append(Item(field: field, message: message))
    }

    var isEmpty: Bool { items.isEmpty }

    /// The first message for each field, for inline display.
    var byField: [String: String] {
        var map: [String: String] = [:]
        for item in items where map[item.field] == nil { map[item.field] = item.message }
        return map
    }

    enum CodingKeys: String, CodingKey { case items, byField, any }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(items, forKey: .items)
        try c.encode(byField, forKey: .byField)
        try c.encode(!items.isEmpty, forKey: .any)
    }
}


/// One choice in a select list or a set of radios, with whether it is the current value.
struct SelectOption: Encodable, Sendable {
    let value: String
    let label: String
    let selected: Bool
}

/// Text from a form field, without the spaces and line breaks around it.
enum FormText {
    static func trim(_ s: String?) -> String { (s ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
}

/// What was typed into one of a page's several forms, with its errors, kept when it is refused.
/// `section` names the form, so the page opens it and fills only its fields.
struct TypedForm: Encodable, Sendable {
    var section = ""
    var values: [String: String] = [:]
    var errors = FormErrors()

    init(section: String = "", values: [String: String] = [:], errors: FormErrors = FormErrors()) {
        self.section = section
        self.values = values
        self.errors = errors
    }

    /// A typed form's text fields, by the names the form gives them, to fill the form again.
    init(section: String, form: some Encodable, errors: FormErrors = FormErrors()) {
        self.init(section: section, values: Self.flatten(form), errors: errors)
    }

    static func flatten(_ form: some Encodable) -> [String: String] {
        guard let data = try? JSONEncoder().encode(form), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return object.compactMapValues { $0 as? String }
    }
}
