import Foundation

/// Which addresses a statement may be fetched from: public internet addresses only, so
/// "check a statement by address" cannot reach this server, the organisation's network or a
/// cloud metadata service (server-side request forgery). Ranges from the IANA special-purpose
/// address registries (RFC 6890 and its updates).
public enum PublicAddress {
    /// Whether `address` (numeric, IPv4 or IPv6) is a public unicast address.
    public static func isPublic(_ address: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        if inet_pton(AF_INET, address, &v4) == 1 {
            return isPublic(ipv4: withUnsafeBytes(of: v4) { Array($0) })
        }
        if inet_pton(AF_INET6, address, &v6) == 1 {
            return isPublic(ipv6: withUnsafeBytes(of: v6) { Array($0) })
        }
        return false
    }

    static func isPublic(ipv4 b: [UInt8]) -> Bool {
        guard b.count == 4 else { return false }
        switch (b[0], b[1], b[2]) {
        case (0, _, _), (10, _, _), (127, _, _): return false              // this network, private, loopback
        case (100, 64...127, _): return false                              // shared address space (CGNAT)
        case (169, 254, _): return false                                   // link-local, cloud metadata
        case (172, 16...31, _), (192, 168, _): return false                // private
        case (192, 0, 0), (192, 0, 2), (198, 51, 100), (203, 0, 113): return false  // protocol assignments, documentation
        case (192, 88, 99), (198, 18...19, _): return false                // 6to4 relay, benchmarking
        case (224...255, _, _): return false                               // multicast, reserved, broadcast
        default: return true
        }
    }

    static func isPublic(ipv6 b: [UInt8]) -> Bool {
        guard b.count == 16 else { return false }
        let prefix = Array(b[0..<12])
        if prefix == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] { return isPublic(ipv4: Array(b[12...])) }  // IPv4-mapped
        if prefix == [0, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0] { return isPublic(ipv4: Array(b[12...])) }  // NAT64
        if b[0..<12].allSatisfy({ $0 == 0 }) { return false }              // ::, ::1 and IPv4-compatible
        if b[0] == 0x20, b[1] == 0x02 { return isPublic(ipv4: Array(b[2..<6])) }  // 6to4 carries an IPv4 address
        if b[0] & 0xFE == 0xFC { return false }                            // unique local fc00::/7
        if b[0] == 0xFE, b[1] & 0xC0 == 0x80 { return false }              // link-local fe80::/10
        if b[0] == 0xFF { return false }                                   // multicast
        if b[0] == 0x20, b[1] == 0x01, b[2] == 0x0D, b[3] == 0xB8 { return false }  // documentation 2001:db8::/32
        if b[0] == 0x01, b[1] == 0x00, b[2..<8].allSatisfy({ $0 == 0 }) { return false }  // discard 100::/64
        return b[0] & 0xE0 == 0x20                                         // global unicast 2000::/3
    }

    /// Every address `host` resolves to, numeric; empty when it does not resolve.
    public static func resolve(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(list) }
        var addresses: [String] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let current = node {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(current.pointee.ai_addr, current.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                let text = String(cString: buffer)
                if !addresses.contains(text) { addresses.append(text) }
            }
            node = current.pointee.ai_next
        }
        return addresses
    }
}
