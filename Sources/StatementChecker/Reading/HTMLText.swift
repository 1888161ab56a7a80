import Foundation

/// Readable text of a web page: scripts, styles, navigation, headers, footers, forms and
/// asides are dropped; block elements become paragraph breaks.
enum HTMLText {
    static let droppedElements = ["script", "style", "noscript", "nav", "header", "footer", "form", "aside", "svg", "template", "iframe", "button", "select"]
    static let blockElements = ["p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section", "article", "main", "blockquote", "dd", "dt", "figcaption"]

    static func extract(_ html: String) -> String {
        var s = html.replacingOccurrences(of: #"<!--[\s\S]*?-->"#, with: " ", options: .regularExpression)
        for element in droppedElements {
            s = s.replacingOccurrences(of: "<\(element)\\b[^>]*>[\\s\\S]*?</\(element)\\s*>", with: " ", options: [.regularExpression, .caseInsensitive])
        }
        // Elements marked as navigation or footers by role or class.
        s = s.replacingOccurrences(of: #"<(div|ul|section)\b[^>]*(role="navigation"|class="[^"]*(cookie|breadcrumb|menu|footer|navbar)[^"]*")[^>]*>[\s\S]*?</\1>"#,
                                   with: " ", options: [.regularExpression, .caseInsensitive])
        for element in blockElements {
            s = s.replacingOccurrences(of: "</?\(element)\\b[^>]*>", with: "\n\n", options: [.regularExpression, .caseInsensitive])
        }
        s = s.replacingOccurrences(of: #"<[^>]+>"#, with: " ", options: .regularExpression)
        s = decodeEntities(s)
        s = s.replacingOccurrences(of: #"[ \t\x{00A0}]+"#, with: " ", options: .regularExpression)
        s = s.replacingOccurrences(of: #"\n[ \t]+"#, with: "\n", options: .regularExpression)
        s = s.replacingOccurrences(of: #"\n{3,}"#, with: "\n\n", options: .regularExpression)
        return s.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "pound": "£", "euro": "€",
        "rsquo": "’", "lsquo": "‘", "rdquo": "”", "ldquo": "“", "ndash": "–", "mdash": "—", "hellip": "…", "copy": "©", "bull": "•",
    ]

    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var i = text.startIndex
        while i < text.endIndex {
            if text[i] == "&", let semi = text[i...].prefix(12).firstIndex(of: ";") {
                let name = String(text[text.index(after: i)..<semi])
                var replacement: String? = namedEntities[name]
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    replacement = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                } else if name.hasPrefix("#") {
                    replacement = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                }
                if let replacement {
                    out += replacement
                    i = text.index(after: semi)
                    continue
                }
            }
            out.append(text[i])
            i = text.index(after: i)
        }
        return out
    }
}
