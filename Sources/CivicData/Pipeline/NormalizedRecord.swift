/// One record after recognition and normalisation, in the output column order of its `DatasetReader`.
public struct NormalizedRecord: Sendable, Equatable {
    /// The 1-based physical line of the record in the input.
    public var line: Int
    /// One value per output column (the standard fields, then the extra columns).
    public var values: [String]
    /// Geographic coordinates when both are present, numeric and inside Japan (nil otherwise; see the findings).
    public var longitude: Double?
    public var latitude: Double?
    /// True when any finding for this record is an error.
    public var hasErrors: Bool
    /// Plane rectangular X/Y from the file's extra columns, when it has them (CivicGeo turns them into lon/lat).
    public var planePoint: PlanePoint?
    /// The datum a 測地系 column names for this record (e.g. 日本測地系), as written.
    public var datumText: String?
    /// The geometry of a GeoJSON feature (a Point's also sets longitude/latitude).
    public var geometry: RecordGeometry?
    /// The 1-based number of the GeoJSON feature the record is, for messages.
    public var feature: Int?
    /// The coordinate system the row's 座標系 / 座標系番号 / 測地系 cells name together, when they name one.
    public var coordinateSystem: CoordinateSystemName?

    public init(line: Int, values: [String], longitude: Double? = nil, latitude: Double? = nil, hasErrors: Bool = false) {
        self.line = line
        self.values = values
        self.longitude = longitude
        self.latitude = latitude
        self.hasErrors = hasErrors
    }
}
