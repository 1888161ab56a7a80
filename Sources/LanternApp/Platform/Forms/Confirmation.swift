import Vapor

/// A step before a change that closes, removes or publishes something: the button's form is
/// answered with a page that says what will happen and asks again, and only the form sent
/// from that page (with `confirmed=yes`) makes the change. Works without JavaScript.
struct Confirmation: Encodable {
    struct Field: Encodable { let name: String; let value: String }
    /// The question, as the page's heading ("Close this risk?").
    let heading: String
    /// What will happen, a paragraph each.
    let consequences: [String]
    /// The button that makes the change ("Yes, close the risk").
    let button: String
    /// Where "Cancel" goes: the page the button was on.
    let cancel: String
    /// Shown as a warning when the change cannot be undone.
    let irreversible: Bool
    let action: String
    let fields: [Field]
    /// Fields the person must fill on the confirmation page (a reason), if any.
    var reason: Reason?

    struct Reason: Encodable {
        let label: String
        let hint: String
        let options: [Option]
        var error: String?
        struct Option: Encodable { let value: String; let label: String; let selected: Bool }
    }

    static let confirmedField = "confirmed"
}

extension Request {
    /// Whether the form came from a confirmation page.
    var isConfirmed: Bool { (try? content.get(String.self, at: Confirmation.confirmedField)) == "yes" }

    /// The confirmation page for this form: its fields go back as they were, with `confirmed=yes`.
    func confirmation(_ heading: String, _ consequences: [String], button: String, cancel: String,
                      irreversible: Bool = false, reason: Confirmation.Reason? = nil,
                      status: HTTPResponseStatus = .ok) async throws -> Response {
        let body = headers.contentType == .urlEncodedForm ? body.data.map { String(buffer: $0) } ?? "" : ""
        let fields = KeptForm.fields(ofURLEncoded: body)
            .filter { $0.name != Confirmation.confirmedField && $0.name != reason.map { _ in "reason" } }
            .map { Confirmation.Field(name: $0.name, value: $0.value) }
        let page = Confirmation(heading: heading, consequences: consequences, button: button, cancel: cancel,
                                irreversible: irreversible, action: url.path, fields: fields, reason: reason)
        return try await render("Layout/confirm", page, title: heading, status: status)
    }
}
