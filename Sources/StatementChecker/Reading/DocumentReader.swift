import Foundation

/// Turns a statement's bytes into plain text. The type is sniffed from the content, never
/// trusted from a file name or a content-type header.
public struct DocumentReader: Sendable {
    public enum Kind: String, Sendable, Codable { case pdf = "PDF", html = "HTML", docx = "DOCX", text = "text" }

    public struct Document: Sendable {
        public let kind: Kind
        public let text: String
        /// For text files: the encoding detected.
        public let encoding: String?
        /// True when the text came from OCR of a scanned PDF.
        public let usedOCR: Bool
    }

    public var maxBytes: Int
    public var toolTimeout: TimeInterval

    public init(maxBytes: Int = 20 * 1_048_576, toolTimeout: TimeInterval = 60) {
        self.maxBytes = maxBytes
        self.toolTimeout = toolTimeout
    }

    public static func sniff(_ data: Data) -> Kind? {
        let head = [UInt8](data.prefix(1024))
        if head.starts(with: Array("%PDF-".utf8)) || data.prefix(1024).range(of: Data("%PDF-".utf8)) != nil { return .pdf }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .docx }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) { return nil }  // legacy .doc
        if head.contains(0) && !(head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF])) { return nil }
        let text = TextDecoding.decode(Data(head)).text.lowercased()
        if text.contains("<!doctype html") || text.contains("<html") || text.contains("<body") || text.contains("<head") {
            return .html
        }
        return .text
    }

    public func read(_ data: Data) throws -> Document {
        guard !data.isEmpty, data.contains(where: { !($0 == 32 || $0 == 10 || $0 == 13 || $0 == 9) }) else { throw ReadProblem.empty }
        guard data.count <= maxBytes else { throw ReadProblem.tooLarge(bytes: data.count, limit: maxBytes) }
        guard let kind = Self.sniff(data) else {
            let head = [UInt8](data.prefix(4))
            throw ReadProblem.unsupportedType(head.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) ? "Old Word (.doc)" : "Binary")
        }
        let document: Document
        switch kind {
        case .pdf:
            let (text, ocr) = try PDFText(timeout: toolTimeout).extract(data)
            document = Document(kind: .pdf, text: text, encoding: nil, usedOCR: ocr)
        case .docx:
            document = Document(kind: .docx, text: try DOCXText(timeout: toolTimeout).extract(data), encoding: nil, usedOCR: false)
        case .html:
            let decoded = TextDecoding.decode(data)
            document = Document(kind: .html, text: HTMLText.extract(decoded.text), encoding: decoded.encoding.rawValue, usedOCR: false)
        case .text:
            let decoded = TextDecoding.decode(data)
            document = Document(kind: .text, text: Self.cleanPlainText(decoded.text), encoding: decoded.encoding.rawValue, usedOCR: false)
        }
        guard document.text.contains(where: { $0.isLetter }) else { throw ReadProblem.empty }
        guard Self.looksLikeAStatement(document.text) else { throw ReadProblem.notAStatement }
        return document
    }

    /// Text saved from a web page or converted to Markdown keeps tags and markers that are
    /// not words: HTML tags, heading hashes, emphasis asterisks.
    static func cleanPlainText(_ text: String) -> String {
        var s = text
        if s.range(of: #"</?(p|b|br|i|div|span|li|strong|em)\b[^>]*>"#, options: [.regularExpression, .caseInsensitive]) != nil {
            s = s.replacingOccurrences(of: #"</?(p|div|br|li|tr|h[1-6])\b[^>]*>"#, with: "\n\n", options: [.regularExpression, .caseInsensitive])
            s = s.replacingOccurrences(of: #"<[^>\n]{1,200}>"#, with: " ", options: .regularExpression)
            s = HTMLText.decodeEntities(s)
        }
        s = s.replacingOccurrences(of: #"(?m)^#{1,6}\s+"#, with: "", options: .regularExpression)
        s = s.replacingOccurrences(of: #"\*\*|__"#, with: "", options: .regularExpression)
        return s
    }

    /// A modern slavery statement names its subject; a page that never does is something else.
    static func looksLikeAStatement(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return ["slavery", "trafficking", "forced labour", "forced labor", "servitude"].contains { lowered.contains($0) }
    }
}

/// Runs a command-line tool with a time limit, capturing its output.
public struct ExternalTool: Sendable {
    let timeout: TimeInterval

    public init(timeout: TimeInterval) { self.timeout = timeout }

    public struct Result: Sendable { public let status: Int32; public let stdout: Data; public let stderr: String }

    static let environment: [String: String] = {
        let own = ProcessInfo.processInfo.environment
        var tools = ["PATH": own["PATH"] ?? "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": NSTemporaryDirectory()]
        tools["TESSDATA_PREFIX"] = own["TESSDATA_PREFIX"]
        return tools
    }()

    public static func find(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Runs the tool, reading its output as it comes. Output beyond `maxOutput` bytes stops the
    /// tool and throws ``ReadProblem/tooLargeUnpacked(limit:)``: memory stays bounded by the cap
    /// whatever a compressed or crafted document would expand to.
    public func run(_ executable: String, _ arguments: [String], maxOutput: Int = ExternalTool.defaultMaxOutput) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        // Tools get a minimal environment: nothing of Lantern's (the data-protection key may be
        // in it) reaches a program that parses untrusted documents.
        process.environment = Self.environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let deadline = DispatchTime.now() + timeout
        let group = DispatchGroup()
        let stdout = Captured(limit: maxOutput), stderr = Captured(limit: 1 << 20)
        // SIGKILL: the child is ours and not yet reaped, so its pid cannot have been reused.
        let pid = process.processIdentifier
        let stop: @Sendable () -> Void = { kill(pid, SIGKILL) }
        group.enter(); DispatchQueue.global().async { stdout.drain(out.fileHandleForReading, onOverflow: stop); group.leave() }
        group.enter(); DispatchQueue.global().async { stderr.drain(err.fileHandleForReading, onOverflow: {}); group.leave() }
        if group.wait(timeout: deadline) == .timedOut {
            stop()
            throw ReadProblem.corruptPDF("\((executable as NSString).lastPathComponent) took longer than \(Int(timeout)) s")
        }
        process.waitUntilExit()
        if stdout.overflowed { throw ReadProblem.tooLargeUnpacked(limit: maxOutput) }
        return Result(status: process.terminationStatus, stdout: stdout.data, stderr: String(decoding: stderr.data, as: UTF8.self))
    }

    /// The most text any tool may hand back: far more than the longest statement.
    public static let defaultMaxOutput = 20 * 1_048_576

    /// One pipe's output, kept up to a limit; past it the rest is read and dropped, so the tool
    /// never blocks on a full pipe before it is stopped. Written by one reader thread, read after
    /// the group has finished.
    private final class Captured: @unchecked Sendable {
        let limit: Int
        var data = Data()
        var overflowed = false
        init(limit: Int) { self.limit = limit }

        func drain(_ handle: FileHandle, onOverflow: () -> Void) {
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { return }
                if overflowed { continue }
                if data.count + chunk.count > limit {
                    overflowed = true
                    data = Data()
                    onOverflow()
                } else {
                    data.append(chunk)
                }
            }
        }
    }

    /// Writes bytes to a private temporary file for a tool to read.
    public static func withTemporaryFile<T>(_ data: Data, suffix: String, _ body: (String) throws -> T) throws -> T {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lantern-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("input" + suffix)
        try data.write(to: file)
        return try body(file.path)
    }
}
