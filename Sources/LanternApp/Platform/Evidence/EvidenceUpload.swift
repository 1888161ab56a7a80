import Fluent
import Foundation
import LanternCore
import MultipartKit
import NIOCore
import Vapor

/// A form with evidence files, read as it arrives. Text fields are kept (each up to 64 KiB);
/// each file is checked and sealed a chunk at a time into a staged evidence record, so memory
/// stays flat whatever the file's size. The form's token is checked from its first part before
/// any file is stored. The handler attaches the staged files it accepts to their case or
/// concern in its own transaction; whatever it does not attach is deleted when it returns.
struct EvidenceUpload: Sendable {
    /// One file the form carried.
    struct Staged: Sendable {
        /// The staged record, when the file was accepted.
        let recordID: UUID?
        /// Its name, for messages: the last path component, at most 80 characters.
        let name: String
        let kind: EvidenceKind?
        /// Why it was refused, in words.
        let refusal: String?
    }

    /// The text fields, urlencoded, as a typed form decodes them.
    let encodedFields: String
    let files: [Staged]

    static let maximumFieldBytes = 64 * 1024

    /// Reads the request's form, calls `handle` with it, and deletes the staged files `handle`
    /// did not attach, whether it returned or threw. `beforeFiles` runs with the fields that came
    /// before the first file, just before it is stored, so a limit can refuse the post first.
    static func handle(_ req: Request, limit: Int, beforeFiles: (@Sendable (EvidenceUpload) async throws -> Void)? = nil,
                       _ handle: (EvidenceUpload) async throws -> Response) async throws -> Response {
        let batch = UUID()
        do {
            let upload = try await read(req, limit: limit, batch: batch, beforeFiles: beforeFiles)
            let response = try await handle(upload)
            try await discard(batch, on: req.db)
            return response
        } catch {
            try? await discard(batch, on: req.db)
            throw error
        }
    }

    /// Decodes the text fields as `T`, naming a field that cannot be read.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        do { return try URLEncodedFormDecoder().decode(T.self, from: encodedFields) } catch {
            throw LanternError(.badRequest, Request.unreadable(error))
        }
    }

    /// The files accepted, or a message under `files` for each refused, and for too many. More
    /// than the limit is refused as a whole rather than cut short.
    func accepted(into errors: inout FormErrors) -> [Staged] {
        guard files.count <= EvidenceStore.maximumFilesPerSubmission else {
            errors.add("files", "Attach at most \(EvidenceStore.maximumFilesPerSubmission) files at a time")
            return []
        }
        for file in files { if let refusal = file.refusal { errors.add("files", "\(file.name): \(refusal)") } }
        return files.filter { $0.recordID != nil }
    }

    static func discard(_ batch: UUID, on db: any Database) async throws {
        try await db.writeTransaction { db in
            try await EvidenceFile.query(on: db).filter(\.$ownerType == .staged).filter(\.$ownerID == batch).delete()
        }
    }

    // MARK: Reading

    private static func read(_ req: Request, limit: Int, batch: UUID,
                             beforeFiles: (@Sendable (EvidenceUpload) async throws -> Void)?) async throws -> EvidenceUpload {
        guard req.headers.contentType?.type == "multipart" else {
            // Not a file form (a script, or a test of the form's checks): the token was checked
            // on the collected body by the CSRF middleware.
            let body = try await req.body.collect(max: limit).get()
            return EvidenceUpload(encodedFields: body.map { String(buffer: $0) } ?? "", files: [])
        }
        guard let boundary = req.headers.contentType?.parameters["boundary"] else {
            throw LanternError(.badRequest, "The form could not be read. Go back and try again.")
        }
        let reader = PartReader(req: req, batch: batch, beforeFiles: beforeFiles)
        let parser = MultipartParser(boundary: boundary)
        let events = EventQueue()
        parser.onHeader = { events.items.append(.header($0, $1)) }
        parser.onBody = { events.items.append(.body($0)) }
        parser.onPartComplete = { events.items.append(.end) }
        var total = 0
        for try await chunk in req.body {
            total += chunk.readableBytes
            if total > limit { throw CSRFMiddleware.tooLarge(limit: limit, declared: req.headers.first(name: .contentLength).flatMap(Int64.init)) }
            do { try parser.execute(chunk) } catch { throw LanternError(.badRequest, "The form could not be read. Go back and try again.") }
            for event in events.items { try await reader.take(event) }
            events.items.removeAll()
        }
        return try await reader.finish()
    }

    enum Event { case header(String, String), body(ByteBuffer), end }

    private final class EventQueue { var items: [Event] = [] }

    /// Turns parts into fields and staged files, one event at a time.
    private final class PartReader {
        let req: Request
        let batch: UUID
        let beforeFiles: (@Sendable (EvidenceUpload) async throws -> Void)?
        var fields: [(String, String)] = []
        var files: [Staged] = []
        var tokenChecked = false
        var limitsChecked = false
        // The part being read.
        var name = "", filename: String?, text = ByteBuffer(), file: StagedWriter?

        init(req: Request, batch: UUID, beforeFiles: (@Sendable (EvidenceUpload) async throws -> Void)?) {
            self.req = req
            self.batch = batch
            self.beforeFiles = beforeFiles
            // A script may send the token as a header instead of a field.
            tokenChecked = req.headers.first(name: "X-CSRF-Token").map { CSRFMiddleware.accepts($0, for: req) } ?? false
        }

        var encoded: String {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~[]")
            return fields.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
                .joined(separator: "&")
        }

        func take(_ event: Event) async throws {
            switch event {
            case .header(let header, let value):
                guard header.lowercased() == "content-disposition" else { return }
                name = Self.parameter("name", in: value) ?? ""
                filename = Self.parameter("filename", in: value)
            case .body(var bytes):
                if filename != nil {
                    if file == nil { try await startFile() }
                    try await file?.append(&bytes)
                } else {
                    guard text.readableBytes + bytes.readableBytes <= EvidenceUpload.maximumFieldBytes else {
                        throw LanternError(.payloadTooLarge, title: "What you sent is too large",
                                           "The field \u{201C}\(name)\u{201D} holds more than 64 KB of text. Nothing was saved.")
                    }
                    text.writeBuffer(&bytes)
                }
            case .end:
                if filename != nil {
                    // A browser sends an empty part, with no name, when no file is chosen.
                    if file == nil, (filename ?? "").isEmpty { reset(); return }
                    if file == nil { try await startFile() }
                    if let staged = try await file?.finish() { files.append(staged) }
                } else {
                    // A null is never typed, and PostgreSQL cannot store one in text (`NullBytes`).
                    let value = String(buffer: text).replacingOccurrences(of: "\0", with: "")
                    if name == CSRFMiddleware.formField {
                        tokenChecked = tokenChecked || CSRFMiddleware.accepts(value, for: req)
                    } else {
                        fields.append((name, value))
                    }
                }
                reset()
            }
        }

        func reset() { name = ""; filename = nil; text = ByteBuffer(); file = nil }

        /// Nothing is stored until the token is good and the limits have had their say.
        func startFile() async throws {
            guard tokenChecked else { throw CSRFMiddleware.expired }
            if !limitsChecked {
                limitsChecked = true
                try await beforeFiles?(EvidenceUpload(encodedFields: encoded, files: []))
            }
            guard files.count < EvidenceStore.maximumFilesPerSubmission else {
                // Counted, not stored: the form is refused as a whole for too many.
                file = StagedWriter(req: req, batch: batch, filename: filename ?? "", store: false)
                return
            }
            file = StagedWriter(req: req, batch: batch, filename: filename ?? "", store: true)
        }

        func finish() async throws -> EvidenceUpload {
            guard tokenChecked || req.headers.contentType?.type != "multipart" else { throw CSRFMiddleware.expired }
            return EvidenceUpload(encodedFields: encoded, files: files)
        }

        static func parameter(_ key: String, in header: String) -> String? {
            for part in header.split(separator: ";") {
                let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                guard pair.count == 2, pair[0].lowercased() == key else { continue }
                return String(pair[1]).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            return nil
        }
    }

    /// Writes one file's bytes as they come: sealed chunks of `EvidenceStore.chunkSize` into a
    /// staged record, holding back one chunk so the last can be marked last. Its first and last
    /// 64 KiB are kept to check what kind of file it is.
    private final class StagedWriter {
        let req: Request
        let record: EvidenceFile?
        let name: String
        var pending = ByteBuffer()
        var head: [UInt8] = []
        var tail: [UInt8] = []
        var size = 0
        var index = 0

        init(req: Request, batch: UUID, filename: String, store: Bool) {
            self.req = req
            let last = (filename as NSString).lastPathComponent
            name = last.isEmpty ? "A file" : String(last.prefix(80))
            guard store else { record = nil; return }
            let record = EvidenceFile()
            record.ownerType = .staged
            record.ownerID = batch
            record.kind = .pdf
            record.size = 0
            record.uploadedAt = req.lantern.now()
            record.fromReporter = false
            self.record = record
        }

        func append(_ bytes: inout ByteBuffer) async throws {
            size += bytes.readableBytes
            // Copied by range: `Sequence.suffix` would step through every byte of every chunk.
            let count = bytes.readableBytes, keep = EvidenceKind.sniffedBytes
            if head.count < keep { head += bytes.getBytes(at: bytes.readerIndex, length: min(keep - head.count, count)) ?? [] }
            tail += bytes.getBytes(at: bytes.readerIndex + max(0, count - keep), length: min(keep, count)) ?? []
            if tail.count > keep { tail.removeFirst(tail.count - keep) }
            // Past the largest file allowed, the rest is counted and dropped.
            guard let record, size <= EvidenceKind.maximumBytes else { return }
            try await create(record)
            pending.writeBuffer(&bytes)
            while pending.readableBytes > EvidenceStore.chunkSize {
                let piece = pending.readSlice(length: EvidenceStore.chunkSize)!
                try await write(piece, last: false)
            }
            pending.discardReadBytes()
        }

        func finish() async throws -> Staged {
            let sniffed = EvidenceKind.sniff(head: head, tail: tail, count: size)
            guard case .success(let kind) = sniffed, let record else {
                if case .failure(let refusal) = sniffed { return Staged(recordID: nil, name: name, kind: nil, refusal: "\(refusal)") }
                return Staged(recordID: nil, name: name, kind: nil, refusal: nil)
            }
            try await create(record)
            try await write(pending, last: true)
            record.kind = kind
            record.size = size
            let finished = record
            try await req.db.writeTransaction { db in try await finished.save(on: db) }
            return Staged(recordID: record.id, name: name, kind: kind, refusal: nil)
        }

        /// The staged record, written once its first bytes arrive (or, for an empty file, at its end).
        private func create(_ record: EvidenceFile) async throws {
            guard record.id == nil else { return }
            try record.seal(.init(filename: name, description: ""), with: req.cipher)
            try await req.db.writeTransaction { db in try await record.create(on: db) }
        }

        private func write(_ bytes: ByteBuffer, last: Bool) async throws {
            guard let record else { return }
            let chunk = EvidenceChunk()
            chunk.fileID = record.id!
            chunk.index = index
            chunk.sealed = try req.cipher.sealBytes(Data(bytes.readableBytesView), wrapped: try record.dataKey(),
                                                    purpose: EvidenceChunk.purpose(index: index, last: last), recordID: record.id!.uuidString)
            index += 1
            try await req.db.writeTransaction { db in try await chunk.create(on: db) }
        }
    }
}

extension RoutesBuilder {
    /// A POST route taking evidence files: its body is read as it arrives (`EvidenceUpload`),
    /// up to `limit` bytes.
    @discardableResult
    func upload(_ path: PathComponent..., limit: Int, use handler: @escaping @Sendable (Request) async throws -> Response) -> Route {
        let route = on(.POST, path, body: .stream, use: handler)
        route.userInfo[AnySendableHashable(RouteTag.bodyLimit)] = limit
        route.userInfo[AnySendableHashable(RouteTag.streamedUpload)] = true
        return route
    }
}
