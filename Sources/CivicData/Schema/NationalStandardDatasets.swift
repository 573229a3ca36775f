/// The national list of 自治体標準オープンデータセット (デジタル庁; the 2022+ 正式版 numbering, 01–17 and 22–31), as
/// `datasets-spec.json` gives it: what the portal KPI counts each municipality's coverage against. Civic has schemas
/// for some of them (`SchemaCatalog.bundled`); a municipality is credited with one when a dataset of that id is live.
public enum NationalStandardDatasets {
    public struct Entry: Sendable, Equatable, Codable {
        public var number: String
        public var id: String
        public var title: String
    }

    public static let all: [Entry] = [
        Entry(number: "01", id: "public_facility", title: "公共施設一覧"),
        Entry(number: "02", id: "cultural_property", title: "文化財一覧"),
        Entry(number: "03", id: "evacuation_space", title: "指定緊急避難場所一覧"),
        Entry(number: "04", id: "population", title: "地域・年齢別人口"),
        Entry(number: "05", id: "preschool", title: "子育て施設一覧"),
        Entry(number: "06", id: "open_data_list", title: "オープンデータ一覧"),
        Entry(number: "07", id: "public_wireless_lan", title: "公衆無線LANアクセスポイント一覧"),
        Entry(number: "08", id: "aed", title: "AED設置箇所一覧"),
        Entry(number: "09", id: "care_service", title: "介護サービス事業所一覧"),
        Entry(number: "10", id: "medical_institution", title: "医療機関一覧"),
        Entry(number: "11", id: "tourist_facility", title: "観光施設一覧"),
        Entry(number: "12", id: "event", title: "イベント一覧"),
        Entry(number: "13", id: "public_toilet", title: "公衆トイレ一覧"),
        Entry(number: "14", id: "fire_hydrant", title: "消防水利施設一覧"),
        Entry(number: "15", id: "food_business_license", title: "食品等営業許可・届出一覧"),
        Entry(number: "16", id: "school_lunch_menu", title: "学校給食献立情報"),
        Entry(number: "17", id: "school_district", title: "小中学校通学区域情報"),
        Entry(number: "22", id: "support_program", title: "支援制度情報"),
        Entry(number: "23", id: "disaster_radio", title: "防災行政無線設置一覧"),
        Entry(number: "24", id: "educational_institution", title: "教育機関一覧"),
        Entry(number: "25", id: "public_parking", title: "公営駐車場一覧"),
        Entry(number: "26", id: "public_bicycle_parking", title: "公営駐輪場一覧"),
        Entry(number: "27", id: "polling_place", title: "投票所一覧"),
        Entry(number: "28", id: "waste_sorting", title: "ゴミの分別方法一覧"),
        Entry(number: "29", id: "baby_station", title: "赤ちゃんの駅一覧"),
        Entry(number: "30", id: "garbage_collection_point", title: "ゴミ集積場所一覧"),
        Entry(number: "31", id: "tourist_spot", title: "観光ポイント一覧"),
    ]
}
