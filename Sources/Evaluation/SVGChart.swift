import Foundation

/// Small self-contained SVG charts for the evaluation report (no scripts, no external files).
/// Every text is XML-escaped, so the output is well-formed XML whatever the names hold.
public enum SVGChart {
    /// A categorical palette (Okabe–Ito, colour-blind safe).
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

    public static func escape(_ text: String) -> String {
        var out = ""
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            // Characters XML 1.0 forbids (C0 controls other than tab/newline/CR) are dropped.
            case _ where ch.value < 0x20 && ch != "\t" && ch != "\n" && ch != "\r": continue
            case _ where ch.value == 0xFFFE || ch.value == 0xFFFF: continue
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    static func number(_ v: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", v) }

    /// Grouped bars on a 0…1 axis: one group per metric, one bar per series (nil: no bar, "n/a").
    public static func groupedBars(title: String, groups: [String], series: [(name: String, values: [Double?])]) -> String {
        let plotLeft = 50.0, plotTop = 40.0, plotHeight = 220.0
        let barWidth = 26.0, gap = 6.0
        let groupWidth = Double(max(series.count, 1)) * (barWidth + gap) + 30
        let width = plotLeft + Double(groups.count) * groupWidth + 20
        let legendHeight = Double(series.count) * 18 + 10
        let height = plotTop + plotHeight + 40 + legendHeight
        var s = #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(Int(width))" height="\#(Int(height))" viewBox="0 0 \#(Int(width)) \#(Int(height))" role="img" aria-label="\#(escape(title))">"#
        s += #"<title>\#(escape(title))</title>"#
        s += #"<text x="\#(plotLeft)" y="20" font-size="14" font-weight="bold">\#(escape(title))</text>"#
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            let y = plotTop + plotHeight * (1 - tick)
            s += #"<line x1="\#(plotLeft)" y1="\#(y)" x2="\#(width - 10)" y2="\#(y)" stroke="rgb(221,221,221)"/>"#
            s += #"<text x="\#(plotLeft - 6)" y="\#(y + 4)" font-size="10" text-anchor="end">\#(number(tick, 2))</text>"#
        }
        for (g, group) in groups.enumerated() {
            let x0 = plotLeft + Double(g) * groupWidth + 15
            for (k, item) in series.enumerated() {
                let x = x0 + Double(k) * (barWidth + gap)
                guard let value = item.values[g] else {
                    s += #"<text x="\#(x + barWidth / 2)" y="\#(plotTop + plotHeight - 4)" font-size="9" text-anchor="middle">n/a</text>"#
                    continue
                }
                let h = plotHeight * min(max(value, 0), 1)
                s += #"<rect x="\#(x)" y="\#(plotTop + plotHeight - h)" width="\#(barWidth)" height="\#(h)" fill="\#(palette[k % palette.count])"><title>\#(escape(item.name)): \#(number(value))</title></rect>"#
                s += #"<text x="\#(x + barWidth / 2)" y="\#(plotTop + plotHeight - h - 4)" font-size="9" text-anchor="middle">\#(number(value))</text>"#
            }
            let center = x0 + Double(series.count) * (barWidth + gap) / 2
            s += #"<text x="\#(center)" y="\#(plotTop + plotHeight + 18)" font-size="11" text-anchor="middle">\#(escape(group))</text>"#
        }
        for (k, item) in series.enumerated() {
            let y = plotTop + plotHeight + 36 + Double(k) * 18
            s += #"<rect x="\#(plotLeft)" y="\#(y)" width="12" height="12" fill="\#(palette[k % palette.count])"/>"#
            s += #"<text x="\#(plotLeft + 18)" y="\#(y + 10)" font-size="11">\#(escape(item.name))</text>"#
        }
        return s + "</svg>"
    }

    /// A confusion heat map: rows true class, columns predicted, shade by the row's fraction;
    /// `extra` adds a grey column (e.g. answers without a diagnosis).
    public static func heatMap(title: String, labels: [String], matrix: [[Int]], extra: (label: String, counts: [Int])? = nil) -> String {
        let cell = 64.0, left = 110.0, top = 70.0
        let columns = labels.count + (extra == nil ? 0 : 1)
        let width = left + Double(columns) * cell + 20, height = top + Double(labels.count) * cell + 40
        var s = #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(Int(width))" height="\#(Int(height))" viewBox="0 0 \#(Int(width)) \#(Int(height))" role="img" aria-label="\#(escape(title))">"#
        s += #"<title>\#(escape(title))</title>"#
        s += #"<text x="10" y="20" font-size="14" font-weight="bold">\#(escape(title))</text>"#
        s += #"<text x="\#(left + Double(columns) * cell / 2)" y="40" font-size="11" text-anchor="middle">predicted</text>"#
        for (j, label) in (labels + (extra.map { [$0.label] } ?? [])).enumerated() {
            s += #"<text x="\#(left + (Double(j) + 0.5) * cell)" y="\#(top - 8)" font-size="11" text-anchor="middle">\#(escape(label))</text>"#
        }
        for (i, label) in labels.enumerated() {
            let y = top + Double(i) * cell
            let rowTotal = matrix[i].reduce(0, +) + (extra?.counts[i] ?? 0)
            s += #"<text x="\#(left - 8)" y="\#(y + cell / 2 + 4)" font-size="11" text-anchor="end">\#(escape(label))</text>"#
            for j in 0..<columns {
                let isExtra = j >= labels.count
                let count = isExtra ? extra!.counts[i] : matrix[i][j]
                let fraction = rowTotal > 0 ? Double(count) / Double(rowTotal) : 0
                let fill = isExtra ? shade(fraction, from: (245, 245, 245), to: (120, 120, 120)) : shade(fraction, from: (247, 251, 255), to: (8, 48, 107))
                let ink = fraction > 0.5 ? "#fff" : "#000"
                let x = left + Double(j) * cell
                s += #"<rect x="\#(x)" y="\#(y)" width="\#(cell)" height="\#(cell)" fill="\#(fill)" stroke="white"/>"#
                s += #"<text x="\#(x + cell / 2)" y="\#(y + cell / 2 + 4)" font-size="13" text-anchor="middle" fill="\#(ink)">\#(count)</text>"#
            }
        }
        s += #"<text x="12" y="\#(top + Double(labels.count) * cell / 2)" font-size="11" transform="rotate(-90 12 \#(top + Double(labels.count) * cell / 2))" text-anchor="middle">true</text>"#
        return s + "</svg>"
    }

    /// A table drawn as SVG: one row per entry, each numeric column shaded by its value on 0…1.
    public static func table(title: String, header: [String], rows: [[String]], values: [[Double?]]) -> String {
        let rowHeight = 24.0, top = 50.0, firstWidth = 220.0, columnWidth = 110.0
        let numeric = values.first?.count ?? 0
        let textColumns = header.count - numeric
        let width = Double(textColumns) * firstWidth + Double(numeric) * columnWidth + 20
        let height = top + Double(rows.count) * rowHeight + 20
        var s = #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(Int(width))" height="\#(Int(height))" viewBox="0 0 \#(Int(width)) \#(Int(height))" role="img" aria-label="\#(escape(title))">"#
        s += #"<title>\#(escape(title))</title>"#
        s += #"<text x="10" y="20" font-size="14" font-weight="bold">\#(escape(title))</text>"#
        func x(_ column: Int) -> Double {
            10 + (column < textColumns ? Double(column) * firstWidth : Double(textColumns) * firstWidth + Double(column - textColumns) * columnWidth)
        }
        for (c, name) in header.enumerated() {
            s += #"<text x="\#(x(c) + 4)" y="\#(top - 8)" font-size="11" font-weight="bold">\#(escape(name))</text>"#
        }
        for (r, row) in rows.enumerated() {
            let y = top + Double(r) * rowHeight
            for (c, text) in row.enumerated() {
                if c >= textColumns, let v = values[r][c - textColumns] {
                    s += #"<rect x="\#(x(c))" y="\#(y)" width="\#(columnWidth - 2)" height="\#(rowHeight - 2)" fill="\#(shade(min(max(v, 0), 1), from: (255, 255, 255), to: (116, 196, 118)))"/>"#
                }
                s += #"<text x="\#(x(c) + 4)" y="\#(y + 16)" font-size="11">\#(escape(text))</text>"#
            }
        }
        return s + "</svg>"
    }

    static func shade(_ t: Double, from a: (Int, Int, Int), to b: (Int, Int, Int)) -> String {
        func mix(_ x: Int, _ y: Int) -> Int { Int((Double(x) + (Double(y) - Double(x)) * t).rounded()) }
        return String(format: "#%02x%02x%02x", mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }
}
