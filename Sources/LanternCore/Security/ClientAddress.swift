/// The address of the person at the other end. Behind a reverse proxy every request comes from
/// the proxy, so the proxy's `X-Forwarded-For` is read, but only when the request really came
/// from a proxy the operator named: anyone can send that header to a server that trusts it.
/// The rightmost address that is not itself a trusted proxy is the client (each proxy appends
/// the address it saw, so entries to the left of it are whatever the client chose to send).
public enum ClientAddress {
    public static func resolve(remote: String?, forwardedFor: [String], trustedProxies: Set<String>) -> String {
        guard let remote else { return "unknown" }
        guard trustedProxies.contains(remote) else { return remote }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return hops.reversed().first { !trustedProxies.contains($0) } ?? remote
    }
}
