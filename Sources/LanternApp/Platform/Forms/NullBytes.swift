import Foundation
import Vapor

/// A null character in a form field is never something a person typed, and PostgreSQL cannot
/// store one in text (SQLite can), so the same post answered 500 on one engine only. Forms
/// are read with null characters taken out of their text fields; files keep every byte.
enum NullBytes {
    /// An urlencoded body without its encoded nulls, or nil when it has none.
    static func cleaned(urlEncoded body: String) -> String? {
        body.contains("%00") ? body.replacingOccurrences(of: "%00", with: "") : nil
    }

    /// A multipart body rebuilt with nulls removed from its text parts, or nil when none holds one.
    /// A first pass only looks, so a form whose files hold nulls (most do) is not copied.
    static func cleaned(multipart body: ByteBuffer, boundary: String) throws -> ByteBuffer? {
        guard body.readableBytesView.contains(0), try parts(of: body, boundary: boundary, keep: false).found else { return nil }
        var rebuilt = ByteBuffer()
        try MultipartSerializer().serialize(parts: try parts(of: body, boundary: boundary, keep: true).parts, boundary: boundary, into: &rebuilt)
        return rebuilt
    }

    /// Whether a text part (one without a file name) holds a null; with `keep`, every part, those
    /// nulls removed.
    private static func parts(of body: ByteBuffer, boundary: String, keep: Bool) throws -> (found: Bool, parts: [MultipartPart]) {
        var parts: [MultipartPart] = []
        var headers = HTTPHeaders()
        var current = ByteBuffer()
        var isFile = false
        var found = false
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in
            headers.add(name: name, value: value)
            if name.lowercased() == "content-disposition", value.contains("filename=") { isFile = true }
        }
        parser.onBody = { chunk in
            if !isFile, chunk.readableBytesView.contains(0) { found = true }
            if keep { current.writeBuffer(&chunk) }
        }
        parser.onPartComplete = {
            if keep {
                var part = MultipartPart(headers: headers, body: current)
                if !isFile { part.body = ByteBuffer(bytes: part.body.readableBytesView.filter { $0 != 0 }) }
                parts.append(part)
            }
            headers = HTTPHeaders()
            current = ByteBuffer()
            isFile = false
        }
        try parser.execute(body)
        return (found, parts)
    }
}

extension Request {
    /// Decodes a form, with null characters taken out of its text, turning a malformed body
    /// into a 400 page rather than a crash.
    func form<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            if headers.contentType == .urlEncodedForm, let body = body.string, let cleaned = NullBytes.cleaned(urlEncoded: body) {
                return try URLEncodedFormDecoder().decode(T.self, from: cleaned)
            }
            if headers.contentType?.type == "multipart", let boundary = headers.contentType?.parameters["boundary"],
               let body = body.data, let cleaned = try NullBytes.cleaned(multipart: body, boundary: boundary) {
                return try FormDataDecoder().decode(T.self, from: cleaned, boundary: boundary)
            }
            return try content.decode(T.self)
        } catch {
            throw LanternError(.badRequest, Self.unreadable(error))
        }
    }

    /// Names the field that could not be read, where the decoder says which.
    static func unreadable(_ error: any Error) -> String {
        let path: [any CodingKey]
        switch error as? DecodingError {
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?, .dataCorrupted(let context)?: path = context.codingPath
        case .keyNotFound(let key, let context)?: path = context.codingPath + [key]
        default: path = []
        }
        guard let field = path.first(where: { $0.intValue == nil })?.stringValue else {
            return "The form could not be read. Go back and try again."
        }
        return "The form could not be read: the field \u{201C}\(field)\u{201D} does not hold what it should. Go back and try again."
    }
}
