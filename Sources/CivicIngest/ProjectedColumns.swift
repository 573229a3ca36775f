import CivicData
import CivicGeo
import Foundation

/// The pipeline stage that writes each record's point in a projected CRS (平面直角座標系) as two more columns,
/// X (northing, the Japanese survey convention) and Y (easting); empty where the record has no point.
struct ProjectedColumns {
    let transform: CoordinateTransform
    let code: String

    init(target: CRS) throws {
        guard !target.isGeographic else {
            throw ReprojectionError(code: .noOperation, message: "\(target.name) is geographic: X/Y columns are for a projected CRS")
        }
        transform = try CoordinateTransform(from: .jgd2011, to: target)
        code = target.epsg.map { "EPSG:\($0)" } ?? target.definition
    }

    func extend(_ layout: inout RecordLayout) {
        layout.appendColumn("X座標(\(code))", kind: .number, from: "X座標(\(code))")
        layout.appendColumn("Y座標(\(code))", kind: .number, from: "Y座標(\(code))")
    }

    func append(to records: inout [NormalizedRecord]) {
        for index in records.indices {
            var columns = ["", ""]
            if let longitude = records[index].longitude, let latitude = records[index].latitude,
                let (east, north) = try? transform.transform(x: longitude, y: latitude)
            {
                columns = [String(format: "%.4f", north), String(format: "%.4f", east)]
            }
            records[index].values += columns
        }
    }
}
