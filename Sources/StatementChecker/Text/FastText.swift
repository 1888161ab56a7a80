#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level text helpers. Foundation's `contains` and `trimmingCharacters` go through
/// NSString on Linux and dominated the checker's profile; these stay in UTF-8.
extension String {
    /// Whether `fragment` occurs in the string, comparing UTF-8 bytes exactly (memchr to each
    /// candidate first byte, then memcmp).
    func hasFragment(_ fragment: String) -> Bool {
        var haystack = self, needle = fragment
        return haystack.withUTF8 { h in
            needle.withUTF8 { n in
                guard !n.isEmpty else { return true }
                guard n.count <= h.count, let hb = h.baseAddress, let nb = n.baseAddress else { return false }
                var offset = 0
                let last = h.count - n.count
                while offset <= last {
                    guard let hit = memchr(hb + offset, Int32(n[0]), last - offset + 1) else { return false }
                    let position = UnsafeRawPointer(hit) - UnsafeRawPointer(hb)
                    if memcmp(hb + position, nb, n.count) == 0 { return true }
                    offset = position + 1
                }
                return false
            }
        }
    }

    /// The string without leading and trailing spaces, tabs and line breaks (ASCII and no-break space).
    var trimmedSpaces: String {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        func isSpace(_ s: Unicode.Scalar) -> Bool { s == " " || s == "\t" || s == "\n" || s == "\r" || s == "\u{00A0}" || s == "\u{0C}" }
        while start < end, isSpace(scalars[start]) { start = scalars.index(after: start) }
        while end > start, isSpace(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        return String(scalars[start..<end])
    }
}

/// Scalar decoding at a byte offset of valid UTF-8 (as a Swift string's bytes always are).
enum UTF8Scan {
    /// The scalar starting at `i` and its width in bytes; nil inside a multi-byte sequence.
    static func scalar(_ bytes: [UInt8], at i: Int) -> (Unicode.Scalar, Int)? {
        let b0 = bytes[i]
        if b0 < 0x80 { return (Unicode.Scalar(b0), 1) }
        let width = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 0
        guard width > 0, i + width <= bytes.count else { return nil }
        var value = UInt32(b0) & (0xFF >> UInt32(width + 1))
        for k in 1..<width { value = value << 6 | UInt32(bytes[i + k] & 0x3F) }
        return Unicode.Scalar(value).map { ($0, width) }
    }

    /// Words separated by one or more spaces, as `split(separator: " ").count` counts them.
    static func wordCount(_ s: String) -> Int {
        var count = 0, inWord = false
        for b in s.utf8 {
            if b == UInt8(ascii: " ") { inWord = false } else if !inWord { inWord = true; count += 1 }
        }
        return count
    }
}
