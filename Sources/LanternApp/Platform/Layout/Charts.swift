import Foundation

/// Charts drawn on the server as SVG, so they need no scripts and print as they show. Each has
/// a title and a text description (its text alternative), and the page puts the table beside it.
enum Charts {
    struct Bar { let label: String; let value: Int?; let display: String }

    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// Horizontal bars; a suppressed value has no bar, only its words ("fewer than 5"). When
    /// nothing, or one bar among suppressed ones, could be drawn, the chart would be an empty
    /// frame: it says so instead, and the table beside it holds the figures.
    static func bars(id: String, title: String, bars: [Bar]) -> String {
        let drawable = bars.filter { ($0.value ?? 0) > 0 }.count, suppressed = bars.filter { $0.value == nil }.count
        if drawable == 0 || (drawable == 1 && suppressed > drawable) {
            return "<p class=\"body chart-empty\" id=\"\(id)-empty\">Too few to chart: \(escape(title.prefix(1).lowercased() + title.dropFirst())) are in the table below.</p>"
        }
        let rowHeight = 28, labelWidth = 230, barWidth = 300, height = bars.count * rowHeight + 10
        let maximum = max(1, bars.compactMap(\.value).max() ?? 1)
        let description = bars.map { "\($0.label): \($0.display)" }.joined(separator: "; ")
        var svg = "<svg class=\"chart\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" viewBox=\"0 0 \(labelWidth + barWidth + 120) \(height)\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" xmlns=\"http://www.w3.org/2000/svg\">"
        svg += "<title id=\"\(id)-title\">\(escape(title))</title><desc id=\"\(id)-desc\">\(escape(description))</desc>"
        for (i, bar) in bars.enumerated() {
            let y = 5 + i * rowHeight
            svg += "<text x=\"\(labelWidth - 8)\" y=\"\(y + 18)\" text-anchor=\"end\" class=\"chart__label\">\(escape(bar.label))</text>"
            let width = bar.value.map { max(bar.value == 0 ? 0 : 2, $0 * barWidth / maximum) } ?? 0
            if width > 0 { svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(width)\" height=\"\(rowHeight - 10)\" class=\"chart__bar\"/>" }
            svg += "<text x=\"\(labelWidth + width + 6)\" y=\"\(y + 18)\" class=\"chart__value\">\(escape(bar.display))</text>"
        }
        return svg + "</svg>"
    }

    /// A line through quarterly totals; suppressed quarters break the line and are named.
    static func trend(id: String, title: String, points: [Bar]) -> String {
        let width = 640, height = 220, left = 50, bottom = 180, top = 20
        let maximum = max(1, points.compactMap(\.value).max() ?? 1)
        let step = points.count > 1 ? (width - left - 30) / (points.count - 1) : 0
        let description = points.map { "\($0.label): \($0.display)" }.joined(separator: "; ")
        var svg = "<svg class=\"chart\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" xmlns=\"http://www.w3.org/2000/svg\">"
        svg += "<title id=\"\(id)-title\">\(escape(title))</title><desc id=\"\(id)-desc\">\(escape(description))</desc>"
        svg += "<line x1=\"\(left)\" y1=\"\(bottom)\" x2=\"\(width - 20)\" y2=\"\(bottom)\" class=\"chart__axis\"/>"
        var segment: [String] = []
        func flush() {
            if segment.count > 1 { svg += "<polyline points=\"\(segment.joined(separator: " "))\" class=\"chart__line\"/>" }
            segment = []
        }
        for (i, point) in points.enumerated() {
            let x = left + i * step
            svg += "<text x=\"\(x)\" y=\"\(bottom + 18)\" text-anchor=\"middle\" class=\"chart__label\">\(escape(point.label))</text>"
            if let value = point.value {
                let y = bottom - value * (bottom - top) / maximum
                segment.append("\(x),\(y)")
                svg += "<circle cx=\"\(x)\" cy=\"\(y)\" r=\"4\" class=\"chart__point\"/><text x=\"\(x)\" y=\"\(y - 8)\" text-anchor=\"middle\" class=\"chart__value\">\(escape(point.display))</text>"
            } else {
                flush()
                svg += "<text x=\"\(x)\" y=\"\(bottom - 8)\" text-anchor=\"middle\" class=\"chart__value\">\(escape(point.display))</text>"
            }
        }
        flush()
        return svg + "</svg>"
    }
}
