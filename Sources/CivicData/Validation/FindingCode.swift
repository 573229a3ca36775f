/// A stable identifier for a kind of finding, e.g. `code.checkDigit`. Listed in `docs/report.md`.
public struct FindingCode: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
    public static func < (lhs: FindingCode, rhs: FindingCode) -> Bool { lhs.rawValue < rhs.rawValue }

    // File and header
    public static let metadataRow = FindingCode("file.metadataRow")
    /// A title above the table (one filled cell before the header), kept in source.metadata.
    public static let titleRow = FindingCode("file.titleRow")
    /// A 合計/total row or a ※ note among the rows: not a record, its cells kept in the report.
    public static let rowTotal = FindingCode("row.total")
    public static let rowNote = FindingCode("row.note")
    /// Lines below the table after a blank row (a title and a version), at the end of the file: not records.
    public static let rowFooter = FindingCode("row.footer")
    public static let layoutLegacy = FindingCode("layout.legacy")
    public static let layoutNonStandard = FindingCode("layout.nonStandard")
    /// No standard dataset fits: the file is read as a generic dataset of its own columns (the closest are named).
    public static let layoutGeneric = FindingCode("layout.generic")
    public static let headerDuplicate = FindingCode("header.duplicate")
    public static let headerEmpty = FindingCode("header.empty")
    public static let headerExtraColumn = FindingCode("header.extraColumn")
    public static let headerMissingRequired = FindingCode("header.missingRequired")
    /// The file has no header row: its first row is a record (its values are like the columns').
    public static let headerNone = FindingCode("header.none")
    public static let headerRenamed = FindingCode("header.renamed")
    public static let columnJoined = FindingCode("column.joined")
    public static let columnPackedCoordinates = FindingCode("column.packedCoordinates")
    /// A field of the schema names a `civic.kind` Civic does not know (checked as text).
    public static let schemaUnknownKind = FindingCode("schema.unknownKind")
    // Rows
    public static let rowBlank = FindingCode("row.blank")
    public static let rowTooFewCells = FindingCode("row.tooFewCells")
    public static let rowTooManyCells = FindingCode("row.tooManyCells")
    public static let rowUnterminatedQuote = FindingCode("row.unterminatedQuote")
    // Any cell
    public static let cellTrimmed = FindingCode("cell.trimmed")
    public static let cellRequired = FindingCode("cell.required")
    public static let cellPattern = FindingCode("cell.pattern")
    public static let cellEnum = FindingCode("cell.enum")
    /// A code (ID, 全国地方公共団体コード, 法人番号, phone…) that Excel turned into a number in exponent notation.
    public static let cellExponentNotation = FindingCode("cell.exponentNotation")
    /// A block number (番地) that Excel turned into a date: 2-22 shown as 2月22日 or Feb-22. Kept, never "fixed".
    public static let cellExcelDate = FindingCode("cell.excelDate")
    /// A time written as Excel's fraction of a day (0.375), rewritten as hh:mm.
    public static let timeDayFraction = FindingCode("time.dayFraction")
    /// The same value as an earlier record in a field with `constraints.unique` (the ID field: `id.duplicate`).
    public static let cellUnique = FindingCode("cell.unique")
    public static let cellNarrowed = FindingCode("cell.narrowed")
    public static let cellHalfWidthKana = FindingCode("cell.halfWidthKana")
    // Kinds
    public static let kanaHiragana = FindingCode("kana.hiragana")
    public static let kanaProlongedSoundMark = FindingCode("kana.prolongedSoundMark")
    public static let kanaNotKatakana = FindingCode("kana.notKatakana")
    public static let codeCheckDigitAdded = FindingCode("code.checkDigitAdded")
    public static let codePrefectureExpanded = FindingCode("code.prefectureExpanded")
    public static let codeCheckDigit = FindingCode("code.checkDigit")
    public static let codeFormat = FindingCode("code.format")
    public static let idDuplicate = FindingCode("id.duplicate")
    public static let coordinateNotNumber = FindingCode("coordinate.notNumber")
    public static let coordinateOutOfRange = FindingCode("coordinate.outOfRange")
    /// Degrees-minutes-seconds (or decimal degrees with spaces inside) written as decimal degrees.
    public static let coordinateDegreesMinutesSeconds = FindingCode("coordinate.degreesMinutesSeconds")
    /// 緯度 and 経度 hold the same value: one of them was copied into the other.
    public static let coordinatesEqual = FindingCode("coordinates.equal")
    public static let coordinatesOutsideJapan = FindingCode("coordinates.outsideJapan")
    public static let coordinatesSwapped = FindingCode("coordinates.swapped")
    public static let coordinatesIncomplete = FindingCode("coordinates.incomplete")
    public static let coordinatesMissing = FindingCode("coordinates.missing")
    public static let coordinatesUnpacked = FindingCode("coordinates.unpacked")
    public static let coordinatesUnreadable = FindingCode("coordinates.unreadable")
    /// X/Y columns hold 経度/緯度 in degrees, not 平面直角座標 metres (decided per file from the values).
    public static let coordinatesPlaneColumnsInDegrees = FindingCode("coordinates.xyInDegrees")
    /// A 座標系 / 座標系番号 cell that names no coordinate system (datum or 平面直角座標系 zone) Civic knows.
    public static let coordinateZoneInvalid = FindingCode("coordinate.zoneInvalid")
    /// A 測地系 cell that names no datum Civic knows.
    public static let coordinateDatumInvalid = FindingCode("coordinate.datumInvalid")
    /// The 座標系 and 測地系 cells of a row name different systems.
    public static let coordinateSystemConflict = FindingCode("coordinate.systemConflict")
    /// A row's 座標系 / 測地系 names another datum than the CRS declared for the file (`--from-crs`), which is used.
    public static let coordinateSystemOverridden = FindingCode("coordinate.systemOverridden")
    /// A lost decimal point is the likely cause of an out-of-range 緯度/経度 (reported, never guessed).
    public static let coordinateDecimalPointLost = FindingCode("coordinate.decimalPointLost")
    // Reprojection (CivicGeo)
    public static let coordinatesTransformFailed = FindingCode("coordinates.transformFailed")
    public static let coordinatesSwappedXY = FindingCode("coordinates.swappedXY")
    public static let coordinatesOutsidePrefecture = FindingCode("coordinates.outsidePrefecture")
    /// The point lies farther than 10 km from the municipality the record belongs to.
    public static let coordinatesFarFromMunicipality = FindingCode("coordinates.farFromMunicipality")
    public static let coordinatesReprojected = FindingCode("coordinates.reprojected")
    public static let phoneFormat = FindingCode("phone.format")
    public static let phoneImplausible = FindingCode("phone.implausible")
    public static let extensionFormat = FindingCode("extension.format")
    public static let emailInvalid = FindingCode("email.invalid")
    public static let urlInvalid = FindingCode("url.invalid")
    public static let postalCodeFormat = FindingCode("postalCode.format")
    public static let postalCodeInvalid = FindingCode("postalCode.invalid")
    public static let corporateNumberInvalid = FindingCode("corporateNumber.invalid")
    public static let timeFormat = FindingCode("time.format")
    public static let timeInvalid = FindingCode("time.invalid")
    public static let dateExcelSerial = FindingCode("date.excelSerial")
    public static let dateWareki = FindingCode("date.wareki")
    public static let dateReformatted = FindingCode("date.reformatted")
    public static let dateInvalid = FindingCode("date.invalid")
    public static let weekdaysInvalid = FindingCode("weekdays.invalid")
    public static let flagCircle = FindingCode("flag.circle")
    public static let flagInvalid = FindingCode("flag.invalid")
    public static let yesNoSynonym = FindingCode("yesNo.synonym")
    public static let numberFormat = FindingCode("number.format")
    public static let numberInvalid = FindingCode("number.invalid")
    public static let numberBelowMinimum = FindingCode("number.belowMinimum")
    public static let numberAboveMaximum = FindingCode("number.aboveMaximum")
    public static let multiValueSeparator = FindingCode("multiValue.separator")
    public static let multiValueEmptyPart = FindingCode("multiValue.emptyPart")
    // Workbooks (.xlsx, CivicExcel): the デジタル庁 machine-readability rules
    public static let workbookTitleRows = FindingCode("workbook.titleRows")
    public static let workbookMergedCells = FindingCode("workbook.mergedCells")
    public static let workbookHiddenRow = FindingCode("workbook.hiddenRow")
    public static let workbookHiddenColumn = FindingCode("workbook.hiddenColumn")
    public static let workbookBlankColumn = FindingCode("workbook.blankColumn")
    public static let workbookOutsideTable = FindingCode("workbook.outsideTable")
    public static let workbookOtherTable = FindingCode("workbook.otherTable")
    public static let workbookNumberAsText = FindingCode("workbook.numberAsText")
    public static let workbookFormulaWithoutValue = FindingCode("workbook.formulaWithoutValue")
    public static let workbookErrorValue = FindingCode("workbook.errorValue")
    // GeoJSON input and geometry (CivicData's GeoJSONRows, CivicGeo's GeometryProcessor)
    /// An element of `features` that is not a Feature, or a Feature whose `properties` are not an object.
    public static let geojsonNotFeature = FindingCode("geojson.notFeature")
    /// A feature's `id` when a property is also named `id` (kept in the report).
    public static let geojsonFeatureID = FindingCode("geojson.featureId")
    /// Members that are not GeoJSON's (kept in the report).
    public static let geojsonForeignMember = FindingCode("geojson.foreignMember")
    /// The members of a JSON document besides the array of records read from it (kept in the report).
    public static let jsonOtherMember = FindingCode("json.otherMember")
    /// A key repeated in one object (a record or a feature's properties): the last value is the cell, the earlier
    /// ones are kept in the report.
    public static let jsonRepeatedKey = FindingCode("json.repeatedKey")
    /// A feature without geometry (null) or with an empty one.
    public static let geometryAbsent = FindingCode("geometry.absent")
    /// A geometry that is not a GeoJSON geometry (kept in the report).
    public static let geometryUnreadable = FindingCode("geometry.unreadable")
    /// A geometry GEOS finds invalid (self-intersection, unclosed ring …).
    public static let geometryInvalid = FindingCode("geometry.invalid")
    /// An invalid geometry made valid by GEOS (`--repair-geometry`).
    public static let geometryRepaired = FindingCode("geometry.repaired")
    /// A geometry (partly) outside Japan.
    public static let geometryOutsideJapan = FindingCode("geometry.outsideJapan")
    /// A geometry's WKT longer than a workbook cell holds (the .xlsx cell is left empty).
    public static let geometryTooLongForCell = FindingCode("geometry.tooLongForCell")
}
