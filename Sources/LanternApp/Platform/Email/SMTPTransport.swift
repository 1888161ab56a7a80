import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// One email, as the queue hands it to a transport: plain text only, so nothing in it runs.
struct MailMessage: Sendable, Equatable {
    var to: String
    var subject: String
    var body: String
}

/// Where email goes. The queue (`Mailbox`) talks only to this, so tests can swap in one that
/// records what would have been sent.
protocol MailTransport: Sendable {
    func deliver(_ message: MailMessage, from sender: String, id: UUID, date: Date) async throws
}

/// How to reach the organisation's mail server.
struct SMTPSettings: Sendable, Equatable {
    enum Security: String, Sendable { case startTLS = "starttls", tls, none }
    var host: String
    var port: Int = 587
    var security: Security = .startTLS
    var username: String?
    var password: String?
    /// A PEM file of certificates to trust besides the system's (a council's own mail relay).
    var caFile: String?
    /// The name this instance gives itself in EHLO.
    var heloName: String = "lantern.localdomain"
}

/// An SMTP client (RFC 5321) on SwiftNIO: STARTTLS (RFC 3207) or implicit TLS with certificate
/// and host name checks, AUTH PLAIN (RFC 4954), one message per connection. A failure at any
/// step throws with the server's reply, and the queue tries again later.
struct SMTPTransport: MailTransport {
    let settings: SMTPSettings
    let group: any EventLoopGroup
    var timeout: TimeAmount = .seconds(30)

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func deliver(_ message: MailMessage, from sender: String, id: UUID, date: Date) async throws {
        let tls = try makeTLSContext()
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .connect(host: settings.host, port: settings.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if settings.security == .tls, let tls {
                        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: settings.host))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPLineDecoder()))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let underlying = channel.channel
        let deadline = underlying.eventLoop.scheduleTask(in: timeout) { underlying.close(mode: .all, promise: nil) }
        defer { deadline.cancel() }
        try await channel.executeThenClose { inbound, outbound in
            var session = SMTPConversation(lines: inbound.makeAsyncIterator(), outbound: outbound)
            try await session.expect(220)
            var capabilities = try await session.command("EHLO \(settings.heloName)", expect: 250)
            if settings.security == .startTLS {
                guard capabilities.contains(where: { $0.uppercased().hasPrefix("STARTTLS") }), let tls else {
                    throw Failure(description: "The mail server does not offer STARTTLS, and Lantern does not send mail in clear.")
                }
                _ = try await session.command("STARTTLS", expect: 220)
                try await channel.channel.pipeline.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: settings.host), position: .first).get()
                capabilities = try await session.command("EHLO \(settings.heloName)", expect: 250)
            }
            if let username = settings.username, let password = settings.password {
                guard capabilities.contains(where: { $0.uppercased().hasPrefix("AUTH") && $0.uppercased().contains("PLAIN") }) else {
                    throw Failure(description: "The mail server does not offer AUTH PLAIN.")
                }
                let credentials = Data("\0\(username)\0\(password)".utf8).base64EncodedString()
                _ = try await session.command("AUTH PLAIN \(credentials)", expect: 235, redacted: "AUTH PLAIN …")
            }
            _ = try await session.command("MAIL FROM:<\(try Self.address(sender))>", expect: 250)
            _ = try await session.command("RCPT TO:<\(try Self.address(message.to))>", expect: 250, 251)
            _ = try await session.command("DATA", expect: 354)
            try await session.send(MailFormat.render(message, from: sender, id: id, host: settings.heloName, date: date))
            _ = try await session.command(".", expect: 250)
            _ = try? await session.command("QUIT", expect: 221)
        }
    }

    private func makeTLSContext() throws -> NIOSSLContext? {
        guard settings.security != .none else { return nil }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if let caFile = settings.caFile {
            configuration.additionalTrustRoots = [.file(caFile)]
        }
        return try NIOSSLContext(configuration: configuration)
    }

    /// An address with nothing that could end the command or start another.
    static func address(_ raw: String) throws -> String {
        guard EmailAddress.isPlausible(raw), !raw.contains(where: { $0 == "<" || $0 == ">" || $0.isNewline || $0.isWhitespace }) else {
            throw Failure(description: "Not an email address Lantern sends to.")
        }
        return raw
    }
}

/// Splits the server's replies into lines (CRLF or LF). A line longer than any reply has is
/// refused, so a hostile server cannot grow the buffer without end.
private struct SMTPLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer
    static let longestLine = 8_192

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.longestLine { throw SMTPTransport.Failure(description: "The mail server sent a line over 8 KB.") }
            return .needMoreData
        }
        let line = buffer.readSlice(length: newline - buffer.readerIndex)!
        buffer.moveReaderIndex(forwardBy: 1)
        context.fireChannelRead(Self.wrapInboundOut(line))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}

/// The client's side of one SMTP conversation: commands out, multi-line replies in.
private struct SMTPConversation {
    var lines: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    mutating func reply() async throws -> (code: Int, lines: [String]) {
        var text: [String] = []
        while true {
            guard let buffer = try await lines.next() else { throw SMTPTransport.Failure(description: "The mail server closed the connection.") }
            let line = String(buffer: buffer).trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            guard line.count >= 3, let code = Int(line.prefix(3)) else { throw SMTPTransport.Failure(description: "The mail server answered: \(line.prefix(200))") }
            text.append(String(line.dropFirst(4)))
            // "250-..." continues; "250 ..." (or a bare code) ends the reply.
            if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] != "-" { return (code, text) }
        }
    }

    mutating func expect(_ codes: Int...) async throws {
        let answer = try await reply()
        guard codes.contains(answer.code) else { throw SMTPTransport.Failure(description: "The mail server answered \(answer.code) \(answer.lines.joined(separator: " ").prefix(200))") }
    }

    mutating func command(_ line: String, expect codes: Int..., redacted: String? = nil) async throws -> [String] {
        try await send(line + "\r\n")
        let answer = try await reply()
        guard codes.contains(answer.code) else {
            throw SMTPTransport.Failure(description: "\(redacted ?? line): the mail server answered \(answer.code) \(answer.lines.joined(separator: " ").prefix(200))")
        }
        return answer.lines
    }

    func send(_ text: String) async throws {
        try await outbound.write(ByteBuffer(string: text))
    }
}

/// The message as it goes over the wire: RFC 5322 headers, UTF-8 text in quoted-printable,
/// lines that start with a dot doubled (RFC 5321 §4.5.2).
enum MailFormat {
    static func render(_ message: MailMessage, from sender: String, id: UUID, host: String, date: Date) -> String {
        var head = [
            "From: Lantern <\(sender)>",
            "To: <\(message.to)>",
            "Subject: \(encodedWord(message.subject))",
            "Date: \(rfc5322Date(date))",
            "Message-ID: <\(id.uuidString.lowercased())@\(host)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            "Auto-Submitted: auto-generated",
        ]
        head.append("")
        let body = quotedPrintable(message.body).components(separatedBy: "\r\n").map { $0.hasPrefix(".") ? "." + $0 : $0 }
        return (head + body).joined(separator: "\r\n") + "\r\n"
    }

    /// A header value: as is when plain ASCII, otherwise an RFC 2047 encoded word.
    static func encodedWord(_ text: String) -> String {
        let clean = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if clean.allSatisfy({ $0.isASCII }) { return clean }
        return "=?utf-8?B?\(Data(clean.utf8).base64EncodedString())?="
    }

    static func quotedPrintable(_ text: String) -> String {
        var out: [String] = []
        for line in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            var encoded = "", length = 0
            let bytes = Array(line.utf8)
            for (i, byte) in bytes.enumerated() {
                let last = i == bytes.count - 1
                let piece: String
                if (byte == 0x20 || byte == 0x09) && !last || (byte >= 33 && byte <= 126 && byte != 61) {
                    piece = String(UnicodeScalar(byte))
                } else {
                    piece = String(format: "=%02X", byte)
                }
                // Soft line breaks keep each line under 76 characters.
                if length + piece.count > 75 { encoded += "=\r\n"; length = 0 }
                encoded += piece
                length += piece.count
            }
            out.append(encoded)
        }
        return out.joined(separator: "\r\n")
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
