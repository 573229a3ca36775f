/// How a file's coordinates were georeferenced: which CRS they were read in and why, which operations turned them
/// into the output CRS and how accurate those are. Filled by CivicGeo; plain data here.
public struct CoordinateReport: Sendable, Codable, Equatable {
    /// One source CRS used (a file with a 座標系番号 column can use several).
    public struct Use: Sendable, Codable, Equatable {
        /// `JGD2011 / 平面直角座標系 IX系 (EPSG:6677)`.
        public var crs: String
        /// `EPSG:6677`, or the PROJ definition.
        public var definition: String
        /// `declared` (--from-crs or the dataset's descriptor), `detected` (a 座標系番号 / 測地系 column or the
        /// municipality's prefecture), or `defaulted` (the standard's 世界測地系, JGD2011).
        public var basis: String
        public var reason: String
        /// The operations PROJ used, with their stated accuracy.
        public var operations: [String]
        /// Sum of the operations' stated accuracies, metres.
        public var accuracy: Double?
        public var records: Int

        public init(crs: String, definition: String, basis: String, reason: String, operations: [String], accuracy: Double?, records: Int) {
            self.crs = crs
            self.definition = definition
            self.basis = basis
            self.reason = reason
            self.operations = operations
            self.accuracy = accuracy
            self.records = records
        }
    }

    /// The output CRS (`WGS 84 (CRS84, lon/lat)` for GeoJSON).
    public var target: String
    public var sources: [Use]
    /// Points that could not be transformed.
    public var failed: Int
    /// Points whose X and Y were exchanged to land inside the prefecture.
    public var swapped: Int
    /// Points outside the publishing municipality's prefecture after conversion.
    public var outsidePrefecture: Int
    /// Points farther than 10 km from the municipality of their record (`coordinates.farFromMunicipality`).
    public var farFromMunicipality: Int
    /// Points read or converted that are not in Japan (farther than 5 km from every municipality), left off the map
    /// (`coordinates.outsideJapan`).
    public var outsideJapan: Int

    public init(
        target: String,
        sources: [Use],
        failed: Int,
        swapped: Int,
        outsidePrefecture: Int,
        farFromMunicipality: Int = 0,
        outsideJapan: Int = 0
    ) {
        self.target = target
        self.sources = sources
        self.failed = failed
        self.swapped = swapped
        self.outsidePrefecture = outsidePrefecture
        self.farFromMunicipality = farFromMunicipality
        self.outsideJapan = outsideJapan
    }

    private enum CodingKeys: String, CodingKey {
        case target, sources, failed, swapped, outsidePrefecture, farFromMunicipality, outsideJapan
    }

    /// Reports written before `farFromMunicipality` or `outsideJapan` existed read with 0.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        target = try container.decode(String.self, forKey: .target)
        sources = try container.decode([Use].self, forKey: .sources)
        failed = try container.decode(Int.self, forKey: .failed)
        swapped = try container.decode(Int.self, forKey: .swapped)
        outsidePrefecture = try container.decode(Int.self, forKey: .outsidePrefecture)
        farFromMunicipality = try container.decodeIfPresent(Int.self, forKey: .farFromMunicipality) ?? 0
        outsideJapan = try container.decodeIfPresent(Int.self, forKey: .outsideJapan) ?? 0
    }
}
