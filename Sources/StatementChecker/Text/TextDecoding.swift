import Foundation

/// Decodes bytes of unknown encoding: UTF-8 (with or without a byte-order mark), UTF-16 with
/// a byte-order mark, else Windows-1252 when bytes 0x80-0x9F appear (curly quotes and dashes
/// from Word), else Latin-1.
public enum TextDecoding {
    public enum Encoding: String, Sendable { case utf8 = "UTF-8", utf16 = "UTF-16", windows1252 = "Windows-1252", latin1 = "Latin-1" }

    public static func decode(_ data: Data) -> (text: String, encoding: Encoding) {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]),
           let text = String(data: data, encoding: .utf16) {
            return (text, .utf16)
        }
        if let text = String(data: bytes, encoding: .utf8) { return (text, .utf8) }
        if bytes.contains(where: { (0x80...0x9F).contains($0) }),
           let text = String(data: bytes, encoding: .windowsCP1252) {
            return (text, .windows1252)
        }
        return (String(data: bytes, encoding: .isoLatin1) ?? "", .latin1)
    }
}
