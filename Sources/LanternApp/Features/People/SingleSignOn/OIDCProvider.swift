import Foundation
import JWTKit
import NIOConcurrencyHelpers
import Vapor

/// The organisation's identity provider (Microsoft Entra ID, Google Workspace, Okta, Keycloak),
/// from `LANTERN_OIDC_ISSUER`, `LANTERN_OIDC_CLIENT_ID` and `LANTERN_OIDC_CLIENT_SECRET` (or
/// `LANTERN_OIDC_CLIENT_SECRET_FILE`).
public struct OIDCSettings: Sendable, Equatable {
    public var issuer: String
    public var clientID: String
    public var clientSecret: String
    /// Shown on the sign-in button.
    public var providerName: String

    public struct Problem: Error, CustomStringConvertible { public let description: String }

    public static func fromEnvironment(_ env: [String: String]) throws -> OIDCSettings? {
        guard var issuer = env["LANTERN_OIDC_ISSUER"], !issuer.isEmpty else { return nil }
        while issuer.hasSuffix("/") { issuer.removeLast() }
        guard let url = URL(string: issuer), let host = url.host else { throw Problem(description: "LANTERN_OIDC_ISSUER is not a URL: \(issuer).") }
        // Plain HTTP only to a provider on this machine (a test provider).
        guard url.scheme == "https" || (url.scheme == "http" && ["localhost", "127.0.0.1", "::1"].contains(host)) else {
            throw Problem(description: "LANTERN_OIDC_ISSUER must use https://.")
        }
        guard let clientID = env["LANTERN_OIDC_CLIENT_ID"], !clientID.isEmpty else { throw Problem(description: "Set LANTERN_OIDC_CLIENT_ID with LANTERN_OIDC_ISSUER.") }
        var secret = env["LANTERN_OIDC_CLIENT_SECRET"] ?? ""
        if let file = env["LANTERN_OIDC_CLIENT_SECRET_FILE"], !file.isEmpty {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw Problem(description: "LANTERN_OIDC_CLIENT_SECRET_FILE \(file) cannot be read.") }
            secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard !secret.isEmpty else { throw Problem(description: "Set LANTERN_OIDC_CLIENT_SECRET_FILE (or LANTERN_OIDC_CLIENT_SECRET) with LANTERN_OIDC_ISSUER.") }
        return OIDCSettings(issuer: issuer, clientID: clientID, clientSecret: secret,
                            providerName: env["LANTERN_OIDC_NAME"].flatMap { $0.isEmpty ? nil : $0 } ?? "your organisation's account")
    }
}

/// The provider's discovery document and signing keys, fetched when first needed and again
/// when a token names a key Lantern does not hold (the provider rotated its keys), at most
/// once a minute.
final class OIDCProvider: Sendable {
    struct Discovery: Codable, Sendable {
        let issuer: String
        let authorizationEndpoint: String
        let tokenEndpoint: String
        let jwksURI: String
        let tokenEndpointAuthMethodsSupported: [String]?

        enum CodingKeys: String, CodingKey {
            case issuer
            case authorizationEndpoint = "authorization_endpoint"
            case tokenEndpoint = "token_endpoint"
            case jwksURI = "jwks_uri"
            case tokenEndpointAuthMethodsSupported = "token_endpoint_auth_methods_supported"
        }
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    let settings: OIDCSettings
    private let state = NIOLockedValueBox<(discovery: Discovery?, keys: JWTKeyCollection?, fetchedAt: Date?)>((nil, nil, nil))

    init(settings: OIDCSettings) { self.settings = settings }

    func discovery(_ client: any Client) async throws -> Discovery {
        if let known = state.withLockedValue({ $0.discovery }) { return known }
        let response = try await client.get(URI(string: settings.issuer + "/.well-known/openid-configuration"))
        guard response.status == .ok else { throw Failure(description: "The identity provider's discovery document answered \(response.status.code).") }
        let document = try response.content.decode(Discovery.self, using: JSONDecoder())
        // The document must be the issuer's own (OpenID Connect Discovery §4.3).
        guard document.issuer.trimmingCharacters(in: CharacterSet(charactersIn: "/")) == settings.issuer.trimmingCharacters(in: CharacterSet(charactersIn: "/")) else {
            throw Failure(description: "The discovery document names another issuer (\(document.issuer)).")
        }
        state.withLockedValue { $0.discovery = document }
        return document
    }

    /// The signing keys; `refresh` fetches them again unless they were fetched in the last minute.
    func keys(_ client: any Client, refresh: Bool, now: Date) async throws -> JWTKeyCollection {
        let held = state.withLockedValue { $0 }
        if let keys = held.keys, !refresh || (held.fetchedAt.map { now.timeIntervalSince($0) < 60 } ?? false) { return keys }
        let document = try await discovery(client)
        let response = try await client.get(URI(string: document.jwksURI))
        guard response.status == .ok, let body = response.body else { throw Failure(description: "The identity provider's keys answered \(response.status.code).") }
        let keys = JWTKeyCollection()
        try await keys.add(jwksJSON: String(buffer: body))
        state.withLockedValue { $0 = ($0.discovery, keys, now) }
        return keys
    }

    /// Exchanges the authorization code (with the PKCE verifier) for tokens; returns the ID token.
    func exchange(code: String, verifier: String, redirectURI: String, client: any Client) async throws -> String {
        let document = try await discovery(client)
        let basic = document.tokenEndpointAuthMethodsSupported.map { $0.contains("client_secret_basic") } ?? true
        struct TokenRequest: Content {
            let grant_type: String, code: String, redirect_uri: String, code_verifier: String, client_id: String
            let client_secret: String?
        }
        struct TokenResponse: Content { let id_token: String? }
        let response = try await client.post(URI(string: document.tokenEndpoint)) { request in
            try request.content.encode(TokenRequest(grant_type: "authorization_code", code: code, redirect_uri: redirectURI, code_verifier: verifier,
                                                    client_id: settings.clientID, client_secret: basic ? nil : settings.clientSecret), as: .urlEncodedForm)
            if basic {
                let id = settings.clientID.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? settings.clientID
                let secret = settings.clientSecret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? settings.clientSecret
                request.headers.basicAuthorization = BasicAuthorization(username: id, password: secret)
            }
            request.headers.replaceOrAdd(name: .accept, value: "application/json")
        }
        guard response.status == .ok else { throw Failure(description: "The identity provider refused the code (\(response.status.code)).") }
        guard let token = try response.content.decode(TokenResponse.self, using: JSONDecoder()).id_token else {
            throw Failure(description: "The identity provider sent no ID token.")
        }
        return token
    }
}

extension Application {
    private struct ProviderKey: StorageKey { typealias Value = OIDCProvider }

    /// The identity provider, when one is configured (set once, by `configure`).
    var identityProvider: OIDCProvider? {
        get { storage[ProviderKey.self] }
        set { storage[ProviderKey.self] = newValue }
    }
}
