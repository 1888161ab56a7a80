import Foundation
import LanternCore
import Vapor

/// Email settings, from the environment (`lantern serve`'s `LANTERN_SMTP_*`).
public struct MailConfiguration: Sendable, Equatable {
    /// Nil: no mail server, so messages wait in the queue until one is configured.
    var smtp: SMTPSettings?
    /// The From address.
    public var sender = "lantern@localhost"
    /// The address people open Lantern at, for links in emails (which have no request to take
    /// a host from).
    public var publicURL = "http://localhost:8080"
    /// Seconds between each instance's look at the queue.
    public var deliveryInterval = 30

    public init() {}

    public var isConfigured: Bool { smtp != nil }

    public struct Problem: Error, CustomStringConvertible {
        public let description: String
    }

    public static func fromEnvironment(_ env: [String: String], defaultPublicURL: String) throws -> MailConfiguration {
        var mail = MailConfiguration()
        mail.publicURL = (env["LANTERN_PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultPublicURL)
        while mail.publicURL.hasSuffix("/") { mail.publicURL.removeLast() }
        guard mail.publicURL.hasPrefix("https://") || mail.publicURL.hasPrefix("http://") else {
            throw Problem(description: "LANTERN_PUBLIC_URL must start with https:// (or http:// on a test machine), not \(mail.publicURL).")
        }
        if let sender = env["LANTERN_MAIL_FROM"], !sender.isEmpty {
            guard EmailAddress.isPlausible(sender) else { throw Problem(description: "LANTERN_MAIL_FROM is not an email address: \(sender).") }
            mail.sender = sender
        }
        if let seconds = env["LANTERN_MAIL_SECONDS"].flatMap(Int.init) {
            guard seconds >= 1 else { throw Problem(description: "LANTERN_MAIL_SECONDS must be 1 or more, not \(seconds).") }
            mail.deliveryInterval = seconds
        }
        guard let host = env["LANTERN_SMTP_HOST"], !host.isEmpty else { return mail }
        var smtp = SMTPSettings(host: host)
        if let raw = env["LANTERN_SMTP_SECURITY"], !raw.isEmpty {
            guard let security = SMTPSettings.Security(rawValue: raw.lowercased()) else {
                throw Problem(description: "LANTERN_SMTP_SECURITY must be starttls, tls or none, not \(raw).")
            }
            smtp.security = security
        }
        smtp.port = smtp.security == .tls ? 465 : 587
        if let raw = env["LANTERN_SMTP_PORT"], !raw.isEmpty {
            guard let port = Int(raw), (1...65_535).contains(port) else { throw Problem(description: "LANTERN_SMTP_PORT must be a port number, not \(raw).") }
            smtp.port = port
        }
        smtp.username = env["LANTERN_SMTP_USERNAME"].flatMap { $0.isEmpty ? nil : $0 }
        if let file = env["LANTERN_SMTP_PASSWORD_FILE"], !file.isEmpty {
            do { smtp.password = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) } catch {
                throw Problem(description: "LANTERN_SMTP_PASSWORD_FILE \(file) cannot be read.")
            }
        } else {
            smtp.password = env["LANTERN_SMTP_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        }
        if (smtp.username == nil) != (smtp.password == nil) {
            throw Problem(description: "Set both LANTERN_SMTP_USERNAME and a password (LANTERN_SMTP_PASSWORD_FILE or LANTERN_SMTP_PASSWORD), or neither.")
        }
        if smtp.password != nil, smtp.security == .none, env["LANTERN_SMTP_ALLOW_PLAIN_AUTH"] != "1" {
            throw Problem(description: "Lantern does not send a mail password in clear: use LANTERN_SMTP_SECURITY=starttls or tls.")
        }
        smtp.caFile = env["LANTERN_SMTP_CA_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        if let helo = env["LANTERN_SMTP_HELO"], !helo.isEmpty { smtp.heloName = helo }
        mail.smtp = smtp
        return mail
    }
}

extension Application {
    private struct TransportKey: StorageKey { typealias Value = any MailTransport }

    /// What delivers the queue's messages: SMTP when configured, nil when not (messages then
    /// wait in the queue); tests put their own here.
    var mailTransport: (any MailTransport)? {
        get {
            if let transport = storage[TransportKey.self] { return transport }
            return lantern.configuration.mail.smtp.map { SMTPTransport(settings: $0, group: eventLoopGroup) }
        }
        set { storage[TransportKey.self] = newValue }
    }
}
