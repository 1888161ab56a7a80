import Foundation
import Vapor

/// One text field of a typed form: absent reads as empty, and the spaces and line breaks around
/// what was typed are taken off. A form struct declares its fields with it, named as the form
/// names them, so it decodes from the post, is checked field by field into `FormErrors`, and
/// encodes back to the same names to re-render the form with what was typed.
@propertyWrapper
struct FormField: Codable, Sendable, Equatable {
    var wrappedValue: String

    init(wrappedValue: String = "") { self.wrappedValue = wrappedValue }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // A field sent twice arrives as a list: the first value is the one a browser would send.
        if let text = try? container.decode(String.self) { wrappedValue = text.trimmingCharacters(in: .whitespacesAndNewlines) }
        else if let texts = try? container.decode([String].self) { wrappedValue = (texts.first ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        else { wrappedValue = "" }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue)
    }
}

/// The values of a repeated field (`name[]`), each trimmed, empty ones left out.
@propertyWrapper
struct FormList: Codable, Sendable, Equatable {
    var wrappedValue: [String]

    init(wrappedValue: [String] = []) { self.wrappedValue = wrappedValue }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = (try? container.decode([String].self)) ?? ((try? container.decode(String.self)).map { [$0] } ?? [])
        wrappedValue = raw.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue)
    }
}

extension KeyedDecodingContainer {
    /// A field missing from the post is empty, not an error.
    func decode(_ type: FormField.Type, forKey key: Key) throws -> FormField {
        try decodeIfPresent(type, forKey: key) ?? FormField()
    }

    func decode(_ type: FormList.Type, forKey key: Key) throws -> FormList {
        try decodeIfPresent(type, forKey: key) ?? FormList()
    }
}
