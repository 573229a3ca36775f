import CivicData
import Foundation

// Read a municipal file as published (any encoding, 2019 or current layout) and see what Civic made of it.
let path = CommandLine.arguments.dropFirst().first ?? "datasets/yaizu-aed/data.csv"
let (records, report) = try DatasetReader.readAll(source: .file(URL(fileURLWithPath: path)))

print("\(report.recognition.title) — \(report.recognition.layout.rawValue) layout, \(records.count) records")
print("errors \(report.summary.totals.errors), warnings \(report.summary.totals.warnings), fixed \(report.summary.totals.fixed)")
if let first = records.first(where: { $0.latitude != nil }), let longitude = first.longitude, let latitude = first.latitude {
    print("first point: \(longitude), \(latitude) (line \(first.line))")
}
