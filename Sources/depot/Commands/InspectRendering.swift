import DepotFormats
import DepotInspect
import Foundation

/// The human form of an inspect report: a summary, one table row per weight, totals, findings.
enum InspectRendering {
    static func text(_ report: InspectReport, title: String) -> String {
        var lines: [String] = []
        lines.append("\(title)  (\(report.kind)\(report.architecture.map { ", \($0)" } ?? ""))")
        var facts = ["precision \(report.precision ?? "-")", "compression \(report.compression)"]
        if let attention = report.attention { facts.append("attention \(attention)") }
        if let resolution = report.resolution { facts.append("resolution \(resolution)") }
        lines.append(facts.joined(separator: "   "))
        for component in report.components {
            let sets = component.variants.isEmpty ? "" : ", weights \(component.variant ?? "default") (present: \(component.variants.joined(separator: ", ")))"
            lines.append("  \(component.name): \(component.className)\(sets)")
        }
        lines.append("")
        var table = TextTable(header: ["WEIGHT", "DTYPE", "SHAPE", "SIZE", "COMPRESSION", "UNIQUE", "SPARSITY"])
        for row in report.weights {
            table.rows.append([row.name, row.dtype, row.shape.map(String.init).joined(separator: "x"), Format.bytes(Int64(row.bytes)),
                               row.compression.map { WeightTotals.compressionKey($0) } ?? "-",
                               row.uniqueValues.map(String.init) ?? "-", row.sparsity.map { String(format: "%.1f%%", $0 * 100) } ?? "-"])
        }
        lines.append(table.render())
        lines.append("")
        let totals = report.totals
        lines.append("\(totals.weights) weights, \(totals.parameters.formatted()) parameters, \(Format.bytes(Int64(totals.bytes))) in \(report.blobs.count) blob\(report.blobs.count == 1 ? "" : "s")")
        for (dtype, bucket) in totals.byDtype.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(dtype): \(bucket.weights) weights, \(bucket.parameters.formatted()) parameters, \(Format.bytes(Int64(bucket.bytes)))")
        }
        for (kind, bucket) in totals.byCompression.sorted(by: { $0.key < $1.key }) where kind != "none" || totals.byCompression.count > 1 {
            lines.append("  \(kind): \(bucket.weights) weights, \(Format.bytes(Int64(bucket.bytes)))")
        }
        lines.append("")
        lines.append(findingsText(report.findings))
        return lines.joined(separator: "\n")
    }

    static func findingsText(_ findings: [Finding]) -> String {
        guard !findings.isEmpty else { return "structure: ok" }
        let errors = findings.errors.count
        var lines = ["structure: \(errors) error\(errors == 1 ? "" : "s"), \(findings.count - errors) warning\(findings.count - errors == 1 ? "" : "s")"]
        for finding in findings {
            lines.append("  \(finding.severity == .error ? "ERROR" : "warn ") \(finding)")
        }
        return lines.joined(separator: "\n")
    }
}
