public import Foundation

/// The live status of shelters (避難所開設状況・混雑状況): a table of its own beside a municipality's 指定避難所一覧 or
/// 指定緊急避難場所一覧, one record per shelter keyed by the shelter's ID, which staff update during a disaster. Its
/// columns, its vocabulary and the rules an update follows (`apply`) live here, in the core: the store keeps the
/// records and their history like any dataset's, the server applies these rules to every write. See
/// docs/shelter-status.md.
public enum ShelterStatus {
    /// The schema id of status tables (a Civic table, not one of the national standard datasets).
    public static let schemaID = "shelter_status"
    /// The standard datasets a status table is kept beside.
    public static let shelterSchemas: Set<String> = ["shelter", "evacuation_space"]

    /// 状態: whether the shelter is open.
    public enum State: String, Sendable, CaseIterable {
        case notOpen = "未開設"
        case preparing = "開設準備中"
        case open = "開設"
        case full = "満員"
        case closed = "閉鎖"
    }

    /// 混雑度: evacuees against capacity, in the bands crowding services in Japan show (VACAN: 空いています below 30 %,
    /// やや混雑 30–60 %, 混雑 60–80 %, 満 80 % and over).
    public enum Crowding: String, Sendable, CaseIterable {
        case vacant = "空いています"
        case someWhatCrowded = "やや混雑"
        case crowded = "混雑"
        case full = "満"

        /// The band of `evacuees` in `capacity` places (capacity > 0).
        public init(evacuees: Int, capacity: Int) {
            // Integer arithmetic: 30 % exactly is やや混雑, as the bands' lower bounds are inclusive.
            let percent = evacuees * 100
            if percent >= capacity * 80 {
                self = .full
            } else if percent >= capacity * 60 {
                self = .crowded
            } else if percent >= capacity * 30 {
                self = .someWhatCrowded
            } else {
                self = .vacant
            }
        }
    }

    /// 避難所種別: which list the shelter is on, or none (a shelter opened outside the lists).
    public enum Kind: String, Sendable, CaseIterable {
        case shelter = "指定避難所"
        case evacuationSpace = "指定緊急避難場所"
        case adHoc = "臨時避難所"
    }

    /// The columns, in order.
    public enum Column {
        public static let id = "ID"
        public static let nationalID = "全国共通ID"
        public static let name = "名称"
        public static let kind = "避難所種別"
        public static let state = "状態"
        public static let openedAt = "開設日時"
        public static let closedAt = "閉鎖日時"
        public static let capacity = "収容人数"
        public static let evacuees = "避難者数"
        public static let households = "避難世帯数"
        public static let crowding = "混雑度"
        public static let pets = "ペット同行"
        public static let welfare = "福祉避難所"
        public static let note = "備考"
        public static let isPublic = "情報公開可否"
        public static let adHoc = "臨時"
        public static let updatedAt = "更新日時"
        public static let updatedBy = "更新者"
        public static let latitude = "緯度"
        public static let longitude = "経度"

        public static let all = [
            id, nationalID, name, kind, state, openedAt, closedAt, capacity, evacuees, households, crowding, pets, welfare, note,
            isPublic, adHoc, updatedAt, updatedBy, latitude, longitude,
        ]
        /// Written by the rules, never by a client: the crowding band and who changed the record when.
        public static let computed: Set<String> = [crowding, updatedAt, updatedBy]
        /// Taken from the shelter list for a listed shelter (changed there, not here); a client sets them only for a
        /// shelter opened outside the lists.
        public static let linked: Set<String> = [id, nationalID, name, kind, latitude, longitude]
    }

    /// The schema of status tables, for the pipeline (a status table read from a file is checked like any table).
    public static let schema: Schema = {
        let dateTime = #"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})$"#
        func field(
            _ name: String,
            _ english: String,
            kind: FieldKind,
            required: Bool = false,
            pattern: String? = nil,
            values: [String]? = nil,
            minimum: Double? = nil,
            description: String
        ) -> [String: Any] {
            var constraints: [String: Any] = ["required": required]
            if let pattern { constraints["pattern"] = pattern }
            if let values { constraints["enum"] = values }
            if let minimum { constraints["minimum"] = minimum }
            var civic: [String: Any] = ["english": english, "kind": kind.rawValue, "requiredLevel": required ? "required" : "optional"]
            if values != nil { civic["enumLevel"] = "error" }
            let type =
                switch kind {
                case .integer: "integer"
                case .latitude, .longitude: "number"
                default: "string"
                }
            return ["name": name, "title": name, "description": description, "type": type, "constraints": constraints, "civic": civic]
        }
        let fields: [[String: Any]] = [
            field(Column.id, "id", kind: .identifier, required: true, description: "避難所のID（指定避難所一覧・指定緊急避難場所一覧のID、臨時避難所は付番したID）"),
            field(Column.nationalID, "nationalShelterId", kind: .text, pattern: "^[0-9]{14}$", description: "全国共通避難所・避難場所ID（内閣府、14桁）"),
            field(Column.name, "name", kind: .text, required: true, description: "避難所の名称"),
            field(Column.kind, "shelterKind", kind: .text, required: true, values: Kind.allCases.map(\.rawValue), description: "避難所種別"),
            field(Column.state, "status", kind: .text, required: true, values: State.allCases.map(\.rawValue), description: "開設状況"),
            field(Column.openedAt, "openedAt", kind: .text, pattern: dateTime, description: "開設日時（RFC 3339）"),
            field(Column.closedAt, "closedAt", kind: .text, pattern: dateTime, description: "閉鎖日時（RFC 3339）"),
            field(Column.capacity, "capacity", kind: .integer, minimum: 0, description: "収容人数（指定避難所一覧の想定収容人数、上書き可）"),
            field(Column.evacuees, "evacuees", kind: .integer, minimum: 0, description: "避難者数"),
            field(Column.households, "households", kind: .integer, minimum: 0, description: "避難世帯数"),
            field(Column.crowding, "crowding", kind: .text, values: Crowding.allCases.map(\.rawValue), description: "混雑度（避難者数÷収容人数から算出）"),
            field(Column.pets, "petsAllowed", kind: .text, values: ["可", "不可"], description: "ペット同行避難の可否"),
            field(Column.welfare, "welfareShelter", kind: .flag, description: "福祉避難所として開設（1）"),
            field(Column.note, "note", kind: .text, description: "備考（必要な物資など）"),
            field(Column.isPublic, "isPublic", kind: .text, values: ["可", "否"], description: "情報公開可否（否は一般に公開しない）"),
            field(Column.adHoc, "adHoc", kind: .flag, description: "一覧にない臨時の避難所（1）"),
            field(Column.updatedAt, "updatedAt", kind: .text, pattern: dateTime, description: "更新日時（RFC 3339、サーバーが記録）"),
            field(Column.updatedBy, "updatedBy", kind: .text, description: "更新者（サーバーが記録）"),
            field(Column.latitude, "latitude", kind: .latitude, description: "緯度（世界測地系）"),
            field(Column.longitude, "longitude", kind: .longitude, description: "経度（世界測地系）"),
        ]
        let document: [String: Any] = [
            "name": schemaID,
            "title": "避難所開設状況",
            "description": "避難所開設状況・混雑状況 (live shelter status): a Civic table kept beside a 指定避難所一覧 or 指定緊急避難場所一覧, one record per shelter.",
            "missingValues": [""],
            "fields": fields,
            "civic": [
                "titleEnglish": "Shelter status", "fileNameHints": ["status", "kaisetsu", "開設状況"], "latitudeField": Column.latitude,
                "longitudeField": Column.longitude, "idField": Column.id,
            ] as [String: Any],
        ]
        do {
            return try Schema.decode(json: try JSONSerialization.data(withJSONObject: document), file: "\(schemaID).schema.json")
        } catch {
            preconditionFailure("the shelter status schema does not decode: \(error)")
        }
    }()
}
