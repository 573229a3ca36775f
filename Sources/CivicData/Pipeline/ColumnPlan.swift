/// How each input column feeds the output: built once from the header, used for every row.
///
/// Built in steps (`ColumnPlan.Builder`): each header cell is matched to a field (`HeaderMatcher`: current name,
/// legacy name, alias), joined with earlier legacy columns, set aside as a repeat, read as packed coordinates, or kept
/// as an extra column (noting plane rectangular X/Y/zone/datum columns); then packed and plane coordinates are
/// settled and missing required columns and the schema's unknown kinds reported.
struct ColumnPlan: Sendable {
    enum Target: Sendable, Equatable {
        /// The value goes to output column `output`, checked as `field`.
        case field(output: Int, field: Int)
        /// Appended to output column `output` (several legacy columns feeding one field).
        case join(output: Int, field: Int)
        /// "lat,lon" split into the latitude and longitude columns.
        case packedCoordinates
        /// Kept as-is in output column `output`.
        case extra(output: Int)
    }

    /// One per input column, in input order.
    var targets: [Target] = []
    /// The schema's fields, then the extra columns.
    var outputColumns: [String]
    /// One per input column, in input order.
    var mappings: [ColumnMapping] = []
    /// Findings about the header (and the schema's fields); their line is the header's.
    var findings: [Finding] = []
    /// Which standard fields have a column in the file.
    var presentFields: Set<Int> = []
    var latitudeOutput: Int?
    var longitudeOutput: Int?
    var idOutput: Int?
    var packedColumn: Int?
    /// Plane rectangular coordinates kept as extra columns: X (northing), Y (easting), 座標系番号, 測地系.
    var planeXColumn: Int?
    var planeYColumn: Int?
    var zoneColumn: Int?
    var datumColumn: Int?

    /// `values`, the first rows sampled, map a column no name explains to the one free field of the kind its values
    /// have, where that kind means one thing (緯度, 経度, 全国地方公共団体コード, 法人番号).
    init(header: [String], schema: Schema, values: ValueSample = .empty) {
        var builder = Builder(schema: schema, header: header, values: values)
        for (position, name) in header.enumerated() { builder.add(name, at: position) }
        builder.settlePackedCoordinates(header: header)
        builder.reportMissingRequired()
        builder.settlePlaneCoordinates()
        builder.reportUnknownKinds()
        self = builder.plan
    }

    /// The input column feeding each output column (the first, for joined ones; the packed column for both
    /// coordinates); nil for standard fields the file lacks.
    func inputColumns(header: [String]) -> [String?] {
        var inputColumns = [String?](repeating: nil, count: outputColumns.count)
        for (position, target) in targets.enumerated() {
            switch target {
            case .field(let output, _), .join(let output, _), .extra(let output):
                if inputColumns[output] == nil { inputColumns[output] = header[position] }
            case .packedCoordinates:
                for output in [latitudeOutput, longitudeOutput].compactMap({ $0 }) { inputColumns[output] = header[position] }
            }
        }
        return inputColumns
    }

    /// A plan with no input columns yet: the schema's fields as output, and where its coordinates and ID are.
    init(schema: Schema) {
        let fields = schema.fields
        let index = { (name: String?) in name.flatMap { name in fields.firstIndex { $0.name == name } } }
        outputColumns = fields.map(\.name)
        latitudeOutput = index(schema.civic.latitudeField)
        longitudeOutput = index(schema.civic.longitudeField)
        idOutput = index(schema.civic.idField)
    }
}
