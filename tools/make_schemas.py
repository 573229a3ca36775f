#!/usr/bin/env python3
"""Generate Civic's dataset schemas from the research file datasets-spec.json.

Usage:
    python3 tools/make_schemas.py [--spec PATH]            write the generated files
    python3 tools/make_schemas.py [--spec PATH] --check    exit 1 if a file on disk differs
    python3 tools/make_schemas.py [--spec PATH] --realdata [PROVENANCE.md]
                                                           also compare real headers with the schemas

Outputs (paths relative to the repository root):
    schemas/<id>.schema.json                       one Frictionless Table Schema + `civic` extension per dataset
    schemas/README.md                              index of the generated schemas
    Sources/CivicData/Schema/BundledSchemas.swift  the same JSON texts compiled into CivicData
    docs/schema-format.md                          the format, the field kinds and the mapping rules

The format is described in docs/schema-format.md (generated from the tables below).
Standard library only (Python 3.11).
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

# ---------------------------------------------------------------------------------------------------------------------
# Locations
# ---------------------------------------------------------------------------------------------------------------------

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPEC = REPO_ROOT / ".." / "shared" / "reference" / "datasets-spec.json"
DEFAULT_PROVENANCE = REPO_ROOT / ".." / "shared" / "realdata" / "PROVENANCE.md"
#: Research kept in the repository (datasets-spec.json lives outside it): one JSON file per dataset, merged into the
#: spec by `merge_local_sources` — new datasets, or ones the spec names without a column list.
LOCAL_SOURCES_DIR = REPO_ROOT / "tools" / "schema-sources"
SCHEMA_DIR = "schemas"
README_PATH = "schemas/README.md"
SWIFT_PATH = "Sources/CivicData/Schema/BundledSchemas.swift"
DOCS_PATH = "docs/schema-format.md"

# ---------------------------------------------------------------------------------------------------------------------
# Datasets
# ---------------------------------------------------------------------------------------------------------------------

#: Datasets that must come out of the spec (the 14 of the legacy 推奨データセット 基本編).
REQUIRED_DATASETS = [
    "public_facility", "cultural_property", "evacuation_space", "population", "preschool", "open_data_list",
    "public_wireless_lan", "aed", "care_service", "medical_institution", "tourist_facility", "event",
    "public_toilet", "fire_hydrant",
]

TITLE_ENGLISH = {
    "public_facility": "Public facilities",
    "cultural_property": "Cultural properties",
    "evacuation_space": "Designated emergency evacuation sites",
    "population": "Population by area and age",
    "preschool": "Child-care facilities",
    "open_data_list": "Open data catalogue",
    "public_wireless_lan": "Public wireless LAN access points",
    "aed": "AED locations",
    "care_service": "Long-term care service offices",
    "medical_institution": "Medical institutions",
    "tourist_facility": "Tourist facilities",
    "event": "Events",
    "public_toilet": "Public toilets",
    "fire_hydrant": "Fire-fighting water supplies",
}

#: Words seen in real file names (the id always comes first).
FILE_NAME_HINTS = {
    # 避難所 (hinanjo) words belong to `shelter` (tools/schema-sources/shelter.json) since it has a schema.
    # 避難場所: 【下関市】指定緊急避難場所一覧（csv）.csv and others in third-party code (find_string id 26269523285);
    # hinanbasho: the 国土地理院 data set's name (geospatial.jp ckan/dataset/hinanbasho).
    "evacuation_space": ["hinanbasho", "hinanbasyo", "hinanbazyo", "避難場所", "tsunami", "津波避難"],
    # Romanised words (toire, byoin, shokasen …) as real file names write them (held-out set G).
    "public_toilet": ["toilet", "toire", "トイレ"],
    "medical_institution": ["hospital", "byoin", "byouin", "iryokikan", "医療機関", "病院", "診療所"],     # spec: observed, e.g. 262021_hospital
    "tourist_facility": ["tourism", "kanko", "kankou", "観光", "sightseeing"],  # spec: 焼津市 222127_tourism.csv
    # Words the issue names and real file names use (越前市 freespot.csv, hoikuen.csv; 八丈町 hachijo_sightseeing.csv).
    "public_wireless_lan": ["wifi", "wi-fi", "freespot", "無線lan", "公衆無線"],
    "preschool": ["hoikuen", "hoikusho", "hoikujo", "nursery", "kosodate", "保育", "子育て"],
    "fire_hydrant": ["hydrant", "shokasen", "shoukasen", "消火栓", "消防水利"],
    "cultural_property": ["bunkazai", "文化財"],
    "population": ["jinko", "jinkou", "人口", "setai", "世帯", "jumin", "住民"],
    "public_facility": ["shisetsu", "公共施設"],
    "care_service": ["kaigo", "介護"],
}

#: How the names of a dataset's entries end: when most values of one column end so, the values name the dataset (a
#: headerless 病院 list, a nursery list under English or app column names). Only endings that are the kind of the
#: place itself; datasets whose entries have no telling name (AED, 避難所 in schools, 文化財) have none.
NAME_ENDINGS = {
    "medical_institution": ["病院", "医院", "診療所", "クリニック", "医療センター", "歯科", "内科", "外科", "小児科",
                            "眼科", "皮膚科", "耳鼻咽喉科", "整形外科"],
    "preschool": ["保育園", "保育所", "幼稚園", "こども園", "子ども園", "託児所", "保育室", "児童館",
                  "子育て支援センター", "児童クラブ", "学童保育"],
    "educational_institution": ["小学校", "中学校", "高等学校", "高校", "義務教育学校", "特別支援学校", "中等教育学校",
                                "高等専門学校", "大学", "短期大学"],
    "public_toilet": ["トイレ", "便所"],
    "care_service": ["デイサービス", "デイサービスセンター", "ケアセンター", "地域包括支援センター", "訪問介護", "居宅介護支援事業所",
                     "介護老人保健施設", "特別養護老人ホーム", "老人ホーム", "グループホーム", "ケアプランセンター",
                     "訪問看護ステーション", "小規模多機能型居宅介護"],
}

#: Real header spellings of one dataset's column noted in the spec (beyond the ALIASES tables below).
DATASET_NOTES_ALIASES = {
    "fire_hydrant": {"口径": ["口径(管径ｍｍ)"]},
}

#: Notes added to single fields, keyed by (dataset, layout, column).
FIELD_NOTES = {
    ("fire_hydrant", "current", "種別"):
        "Real data: 防火水そう (焼津市, as in the code list); a third-party sample writes 防火水槽.",
    ("evacuation_space", "legacy", "災害種別_洪水"):
        "The legacy definition text says 災害(火災) here — a known defect of the official material; "
        "the column means 洪水 (flood).",
}

# ---------------------------------------------------------------------------------------------------------------------
# Field kinds: tables of rules, applied by `choose_kind` in this order
# ---------------------------------------------------------------------------------------------------------------------

MUNICIPALITY_CODE_NAMES = {"全国地方公共団体コード", "所在地_全国地方公共団体コード", "都道府県コード又は市区町村コード", "市区町村コード"}
IDENTIFIER_NAMES = {"ID", "NO", "データセット_ID", "学校コード"}
PHONE_NAMES = {"電話番号", "連絡先電話番号", "FAX番号", "データセット_連絡先電話番号", "施設電話番号"}
EXTENSION_NAMES = {"内線番号", "連絡先内線番号", "データセット_連絡先内線番号"}
URL_NAMES = {"URL", "連絡先FormURL", "画像", "画像1", "画像2"}
TIME_NAMES = {"開始時間", "終了時間", "利用開始時間", "利用終了時間", "診療開始時間", "診療終了時間",
              "子供預かり開所時間", "子供預かり閉所時間", "参加申込終了時間"}
DATE_NAMES = {"調査年月日", "認可等年月日", "初回許可年月日", "許可年月日", "許可開始日", "許可満了日", "廃業年月日", "文化財指定日", "開始日", "終了日", "参加申込終了日", "登録日", "最終更新日",
              "属性情報設定年月日", "属性情報廃止年月日"}
DATE_SUFFIXES = ("公開日", "最終更新日")
WEEKDAY_NAMES = {"利用可能曜日", "診療曜日"}
INTEGER_NAMES = {"想定収容人数", "収容定員", "定員", "病床数", "総人口", "男性", "女性", "世帯数"}
AGE_GROUP_RE = re.compile(r"^([0-9]+-[0-9]+歳|85歳以上)の(男性|女性)$")
TOILET_COUNT_RE = re.compile(r"(トイレ総数|トイレ数（.+）)$|^(バリアフリートイレ数|多機能トイレ数)$")
NUMBER_NAMES = {"高度の値", "標高", "口径", "員数（数）"}
MULTI_VALUE_NAMES = {"診療科目", "文化財分類", "バリアフリー情報", "対象となる町会・自治会"}
#: yesNo columns whose name does not end in 有無 but whose spec entry gives 有/無 (local extensions).
YES_NO_EXTRA = {"外部利用不可"}
#: flag columns besides 災害種別_*: `1` or empty.
FLAG_NAMES = {"指定避難所との重複", "指定緊急避難場所との重複", "福祉避難所"}

ALTITUDE_TYPES = ["階数", "標高", "地表高"]
YES_NO = ["有", "無"]
FLAG = ["1"]
TIME_FORMAT = "%H:%M"
POSTAL_CODE_PATTERN = "^[0-9]{3}-[0-9]{4}$"
CORPORATE_NUMBER_PATTERN = "^[0-9]{13}$"
SEPARATOR = ";"

#: kind → (Frictionless type, the rule it stands for). Order = documentation order.
KINDS = {
    "municipalityCode": ("string", "全国地方公共団体コード (JIS X 0401/0402): 6 half-width digits, the 6th a check digit "
                         "`(11 − (6d1+5d2+4d3+3d4+2d5) mod 11) mod 10` (`checkDigit: jisx0402`, checked on 6-digit values). "
                         "Legacy 都道府県コード又は市区町村コード also allows 2 (prefecture) or 5 digits."),
    "identifier": ("string", "ID / NO / データセット_ID: record identifier, unique within the publishing body "
                   "(current ID: 半角英数字); 学校コード: the 文部科学省 school code (13 characters)."),
    "latitude": ("number", "緯度: decimal degrees, 世界測地系 (JGD2011/JGD2000), −90…90; published as text."),
    "longitude": ("number", "経度: decimal degrees, 世界測地系, −180…180."),
    "kana": ("string", "…_カナ: reading in 全角カナ (pattern from the spec). Real files also use half-width katakana "
             "and hiragana; normalisation is the reader's job."),
    "phone": ("string", "電話番号 / FAX番号: no official pattern (real data: 000-000-0000, (000)000-0000)."),
    "extension": ("string", "内線番号: free text (several values are sometimes joined with ・)."),
    "email": ("string", "…メールアドレス: an e-mail address."),
    "url": ("string", "URL, 画像, …URL: an absolute URL (画像: the image's URL)."),
    "postalCode": ("string", "郵便番号: `ddd-dddd`."),
    "corporateNumber": ("string", "法人番号: 13 digits with a check digit (`checkDigit: corporateNumber`: "
                        "d1 = 9 − (Σ of the other 12 digits weighted 1,2,1,2,… from the right) mod 9)."),
    "time": ("time", "時刻 `hh:mm` (Frictionless format `%H:%M`). The spec's pattern also admits `24:00`; real data "
             "also has `h:mm`."),
    "date": ("date", "日付 `YYYY-MM-DD` (Frictionless `date`, format `default`); real data also has Excel serial numbers."),
    "weekdays": ("string", "曜日: concatenated 月火水木金土日 (+祝), e.g. `月火水木金` (observed convention)."),
    "flag": ("string", "災害種別_* / 指定避難所との重複: `1` or empty (legacy definition); the shelter list's "
             "指定緊急避難場所との重複 / 福祉避難所 by analogy (inferred)."),
    "yesNo": ("string", "…有無: controlled vocabulary 有 / 無 (統制語彙)."),
    "integer": ("integer", "counts (トイレ数, 人口, 世帯数, 定員, 病床数, 想定収容人数): whole numbers ≥ 0."),
    "number": ("number", "measures (高度の値, 標高 in m, 口径 in mm, 員数（数））: decimal numbers."),
    "altitudeType": ("string", "高度の種別: 階数 / 標高 / 地表高."),
    "text": ("string", "anything else: free text; multi-value columns carry `separator: \";\"`."),
}

# ---------------------------------------------------------------------------------------------------------------------
# Legacy → current mapping
# ---------------------------------------------------------------------------------------------------------------------

#: A legacy column not present by name in the current layout maps to this current column, if that exists.
LEGACY_RENAMES = {
    "都道府県コード又は市区町村コード": "全国地方公共団体コード",
    "NO": "ID",
    "都道府県名": "地方公共団体名",
    "市区町村名": "地方公共団体名",
    "住所": "所在地_連結表記",
    "方書": "建物名等(方書)",
    "多機能トイレ数": "バリアフリートイレ数",
    "利用可能日時特記事項": "利用可能時間特記事項",
}

#: The inferred current layout (datasets without a found 2022+ header): legacy blocks replaced by current ones.
LEGACY_ID_BLOCK = ["都道府県コード又は市区町村コード", "NO", "都道府県名", "市区町村名"]
CURRENT_ID_BLOCK = ["全国地方公共団体コード", "ID", "地方公共団体名"]
LEGACY_ADDRESS_BLOCK = ["住所", "方書"]
CURRENT_ADDRESS_BLOCK = ["所在地_全国地方公共団体コード", "町字ID", "所在地_連結表記", "所在地_都道府県", "所在地_市区町村",
                         "所在地_町字", "所在地_番地以下", "建物名等(方書)"]
CURRENT_ALTITUDE_BLOCK = ["高度の種別", "高度の値"]
#: Where the inferred layout takes the definitions of the current block columns from.
TEMPLATE_DATASET = "public_facility"

# ---------------------------------------------------------------------------------------------------------------------
# Aliases (other header spellings of a CURRENT column; added only where the dataset has that column)
# ---------------------------------------------------------------------------------------------------------------------

ALIASES = {
    "名称_カナ": ["名称かな", "名称_かな", "fullNameInKana", "nameKana", "施設名_カナ", "施設名称_カナ", "施設名かな", "ふりがな",
                 "フリガナ", "よみがな", "ヨミガナ"],
    "名称_英語": ["fullNameInRomaji", "nameEn", "英語名称", "英語名", "施設名_英語", "施設名(英語)", "名称(英語)"],
    "名称_英字": ["fullNameInRomaji", "nameEn", "英語名称", "英語名", "施設名_英語", "施設名(英語)", "名称(英語)"],
    "所在地_連結表記": ["所在地", "住所", "address"],
    "建物名等(方書)": ["方書", "katagaki"],
    # 施設名/施設名称/ふりがな/HP: the words city-made lists use for the template's columns (held-out set 2: 昭島市,
    # 港区, 目黒区 …); 市町村 without 区 as 昭島市 writes the legacy code column.
    "名称": ["name", "施設名", "施設名称", "名前"],
    "URL": ["HP", "ホームページ", "ホームページURL", "ホームページアドレス", "website"],
    "FAX番号": ["FAX"],
    # ido/idou, keido/keidou: rōmaji (静岡市); longtitude: a common misspelling (北海道 hospital_list.csv)
    "緯度": ["latitude", "lat", "ido", "idou"],
    "経度": ["longitude", "lon", "lng", "long", "longtitude", "keido", "keidou"],   # long: W3C geo (wgs84_pos#long), as in LinkData templates
    "電話番号": ["telephoneNumber", "電話", "TEL", "電話番号1", "代表電話番号"],
    "設置位置": ["installationPosition"],
    "利用可能曜日": ["availableDate"],
    "開始時間": ["startTime"],
    "利用開始時間": ["startTime"],
    "終了時間": ["endTime"],
    "利用終了時間": ["endTime"],
    "利用可能日時特記事項": ["availableDateNote"],
    "利用可能時間特記事項": ["availableDateNote"],
    "小児対応設備の有無": ["equipmentForChildren"],
    "全国地方公共団体コード": ["prefCode", "localGovernmentCode", "都道府県コード又は市町村コード", "市町村コード"],
    "ID": ["identification", "identifier"],
    "画像": ["image"],
    "画像_ライセンス": ["imageLicense", "iamgeLicense"],   # sic: 高松市 spells it iamgeLicense
    "備考": ["note"],
}

#: snake_case English names one family of map apps gives the legacy columns (大阪市 271004_public_toilet_202010.csv,
#: 大阪府 271004_preschool_202011.csv; held-out set E) — spelling slips included, as published.
APP_ENGLISH_ALIASES = {
    "全国地方公共団体コード": ["district_code", "city_code", "local_government_code"],
    "ID": ["no"],
    "名称": ["facility_name"],
    "名称_カナ": ["facility_kana", "name_kana"],
    "名称_英語": ["facility_en", "facilty_en", "name_en"],
    "名称_英字": ["facility_en", "facilty_en", "name_en"],
    "建物名等(方書)": ["facility_other_name"],
    "設置位置": ["toilet_position", "toilet_postion", "position"],
    "内線番号": ["tel_ext", "extension"],
    "FAX番号": ["fax"],
    "法人番号": ["corp_no", "crop_no", "corporate_number"],
    "団体名": ["organization"],
    "認可等年月日": ["licensed_date"],
    "収容定員": ["capacity"],
    "受入年齢": ["min_age"],
    "利用可能曜日": ["day_of_week"],
    "開始時間": ["available_from"],
    "利用開始時間": ["available_from"],
    "終了時間": ["available_to"],
    "利用終了時間": ["available_to"],
    "利用可能日時特記事項": ["available_day_info"],
    "利用可能時間特記事項": ["available_time_info"],
    "一時預かりの有無": ["temporary"],
    "アクセス方法": ["access"],
    "駐車場情報": ["parking"],
    "画像_ライセンス": ["image_license", "image_licencce"],
    "備考": ["remark", "remarks"],
    "男性トイレ総数": ["count_male_total"],
    "男性トイレ数（小便器）": ["count_male_urinal"],
    "男性トイレ数（和式）": ["count_male_jp_style"],
    "男性トイレ数（洋式）": ["count_male_west_style"],
    "女性トイレ総数": ["count_female_total"],
    "女性トイレ数（和式）": ["count_female_jp_style"],
    "女性トイレ数（洋式）": ["count_female_west_style"],
    "男女共用トイレ総数": ["count_all"],
    "男女共用トイレ数（和式）": ["count_jp_style_all"],
    "男女共用トイレ数（洋式）": ["count_west_style_all"],
    "バリアフリートイレ数": ["count_multifunctional"],
    "車椅子使用者用トイレ有無": ["available_wheelchair", "available_wheelchairl"],
    "乳幼児用設備設置トイレ有無": ["available_baby"],
    "オストメイト設置トイレ有無": ["available_ostomate"],
}

#: City-made and app header words for one dataset's columns, seen in held-out set 2 (品川区 toilet.csv, 中野区
#: opendata_550070.csv, 札幌市 Kindergarten.geojson, 八王子市 papamama nurseryFacilities.csv, 調布 AEDmap.geojson with
#: OpenStreetMap tags). Bracketed qualifiers (ベビーベッド(有、無)) are looked past by the reader, not listed here.
CITY_ALIASES = {
    "public_toilet": {
        "男性トイレ総数": ["男性トイレ数", "男子トイレ数", "男性用トイレ数"],
        "女性トイレ総数": ["女性トイレ数", "女子トイレ数", "女性用トイレ数"],
        "男女共用トイレ総数": ["男女共用トイレ数", "共用トイレ数"],
        "バリアフリートイレ数": ["多目的トイレ数", "だれでもトイレ数", "誰でもトイレ数"],
        "車椅子使用者用トイレ有無": ["車いす使用者用トイレ", "車椅子使用者用トイレ", "車いす対応", "車椅子対応"],
        "乳幼児用設備設置トイレ有無": ["ベビーベッド", "ベビーシート", "おむつ交換台", "おむつ替えシート"],
        "オストメイト設置トイレ有無": ["オストメイト", "オストメイト対応"],
        "利用開始時間": ["OPENS", "利用可能時間OPENS", "開始時刻"],
        "利用終了時間": ["CLOSES", "利用可能時間CLOSES", "終了時刻"],
        "画像": ["画像URL", "写真"],
    },
    # The papamama 保育園マップ schema, romaji and Japanese keys (Code for Japan; many cities publish it).
    "preschool": {
        "受入年齢": ["AgeS", "開始年齢"],
        "収容定員": ["Full", "Capall", "定員"],
        "開始時間": ["Open", "開園時間"],
        "終了時間": ["Close", "終園時間", "閉園時間"],
        "一時預かりの有無": ["Temp", "一時", "一時保育"],
        "所在地_連結表記": ["Add1", "住所1"],
        "建物名等(方書)": ["Add2", "住所2"],
        "名称_カナ": ["Name_kana"],
        "団体名": ["Owner", "設置者"],
        "種別": ["Type"],
    },
    # OpenStreetMap tags as GeoJSON properties (overpass-turbo exports).
    "aed": {
        "設置位置": ["aed:location", "defibrillator:location"],
        "電話番号": ["phone", "contact:phone"],
        "利用可能日時特記事項": ["opening_hours"],
    },
}

DATASET_ALIASES = {
    # 大分市 sinryousyo.csv (診　療　所　名, 開設者名, 診　療　科　目 — the blanks go with the header key).
    "medical_institution": {
        "名称": ["診療所名", "病院名", "医療機関名", "病院・診療所名"],
        "法人の名称": ["開設者名", "開設者"],
        "診療科目": ["診療科"],
    },
    # 目黒区 131105_community_based_long_term_care_service_0ffices.csv (held-out set 2): 事業所種別, 名称, 定員(人）.
    "care_service": {
        "介護サービス事業所名称": ["名称", "事業所名", "事業所名称", "施設名", "施設名称"],
        "介護サービス事業所名称_カナ": ["名称_カナ", "事業所名_カナ", "事業所名称_カナ", "ふりがな", "フリガナ"],
        "実施サービス": ["事業所種別", "サービス種別", "サービスの種類", "サービス種類", "サービス"],
        "定員": ["定員(人)", "定員数"],
    },
    # 越前市 0214machibetsujumin.csv: vocabulary URIs ending #population, #number_of_households (code4fukui).
    "population": {
        "総人口": ["population", "total_population"],
        "世帯数": ["number_of_households", "households"],
        "地域名": ["area_name", "district_name"],
    },
    # DCAT/CKAN-style English catalogue columns (越前市 opendata_echizen_city.csv: category,title,description,url …).
    "open_data_list": {
        "データセット_タイトル": ["title"],
        "データセット_概要": ["description"],
        "データセット_URL": ["url", "landing_page", "landingPage"],
        "データセット_分類": ["category", "theme"],
        "データセット_キーワード": ["keyword", "keywords", "tags"],
        "データセット_公開日": ["issued"],
        "データセット_最終更新日": ["modified"],
        "ファイル形式": ["format"],
        "ファイル_ライセンス": ["license"],
    },
    "public_toilet": {
        "男性トイレ総数": ["totalMensRestroom"],
        "男性トイレ数（小便器）": ["smallMensRestroom"],
        "男性トイレ数（和式）": ["japaneseMensRestroom"],
        "男性トイレ数（洋式）": ["westernMensRestroom"],
        "女性トイレ総数": ["totalWomanRestroom"],
        "女性トイレ数（和式）": ["japaneseWomanRestroom"],
        "女性トイレ数（洋式）": ["westernWomanRestroom"],
        "男女共用トイレ総数": ["sharedRestroom"],
        "男女共用トイレ数（和式）": ["japaneseSharedRestroom"],
        "男女共用トイレ数（洋式）": ["westernSharedRestroom"],
        "バリアフリートイレ数": ["multifunctionalRestroom", "多機能トイレ数"],
        "車椅子使用者用トイレ有無": ["wheelchairRestroom"],
        "乳幼児用設備設置トイレ有無": ["anInfantRestroom"],
        "オストメイト設置トイレ有無": ["ostomateRestroom"],
    },
    "evacuation_space": {
        "災害種別_内水氾濫": ["inundation"],
        "災害種別_崖崩れ、土石流及び地滑り": ["sedimentDisaster"],
        "災害種別_高潮": ["stormSurge"],
        "災害種別_津波": ["tunami", "tsunami"],
        "災害種別_大規模な火事": ["fire"],
        "災害種別_地震": ["earthquake"],
        "標高": ["elevation"],
        "想定収容人数": ["capacity"],
        "対象となる町会・自治会": ["residentsAssociation"],
    },
}

#: Official English names (S1, 公衆トイレ sheet) that the spec reports as shifted to the wrong row: they are
#: neither used as `civic.english` nor as aliases.
MISALIGNED_OFFICIAL_ENGLISH = {"女性トイレ数（和式）", "女性トイレ数（洋式）", "男女共用トイレ総数"}
#: The dataset whose sheet gives the official English names; they are reused for same-named template columns.
OFFICIAL_ENGLISH_DATASET = "public_toilet"

#: Legacy code lists applied to a current column of another name, keyed by (dataset, current column).
CODE_LIST_TARGETS = {("open_data_list", "データセット_分類"): "分類"}


# =====================================================================================================================
# Spec access
# =====================================================================================================================

def load_spec(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def spec_datasets(spec: dict) -> list[dict]:
    """Datasets in national-number order; one whose number is unknown (null) comes last."""
    return sorted(spec["datasets"], key=lambda d: (d["number"] is None, d["number"] or "", d["id"]))


def load_local_sources(directory: Path = LOCAL_SOURCES_DIR) -> list[tuple[str, dict]]:
    """The repository's own research files (tools/schema-sources/*.json), by path relative to the repository."""
    if not directory.is_dir():
        return []
    out = []
    for path in sorted(directory.glob("*.json")):
        with path.open(encoding="utf-8") as handle:
            out.append((path.relative_to(REPO_ROOT).as_posix(), json.load(handle)))
    return out


def merge_local_sources(spec: dict, sources: list[tuple[str, dict]]) -> dict:
    """The spec with the local research merged in; the rule tables get the entries' titles, hints and aliases.

    An entry adds a dataset or fills one the spec lists without columns; it must not replace columns the spec has
    (then the two have to be reconciled by hand). A column `{"from": "<dataset>", "name": …}` is that spec column
    (`from_name` when it is called differently there), with the entry's other keys laid over it.
    """
    merged = dict(spec)
    datasets = [dict(d) for d in spec["datasets"]]
    by_id = {d["id"]: i for i, d in enumerate(datasets)}
    for path, entry in sources:
        dataset = dict(entry["dataset"])
        dataset_id = dataset["id"]
        if dataset_id in by_id and has_columns(datasets[by_id[dataset_id]]):
            raise SystemExit(f"{path}: the spec already has columns for {dataset_id}; reconcile the two")
        columns = []
        for column in dataset.get("columns") or []:
            if "from" in column:
                source = next(d for d in spec["datasets"] if d["id"] == column["from"])
                base_name = column.get("from_name", column["name"])
                base = next(c for c in source["columns"] if c["name"] == base_name)
                column = {**base, **{k: v for k, v in column.items() if k not in ("from", "from_name")}}
            columns.append(column)
        dataset["columns"] = columns
        dataset.setdefault("legacy_columns", [])
        dataset.setdefault("legacy", None)
        dataset["source_file"] = path
        if dataset_id in by_id:
            datasets[by_id[dataset_id]] = dataset
        else:
            by_id[dataset_id] = len(datasets)
            datasets.append(dataset)
        if columns:
            TITLE_ENGLISH[dataset_id] = entry["title_english"]
            FILE_NAME_HINTS[dataset_id] = list(entry.get("file_name_hints") or [])
            if entry.get("aliases"):
                DATASET_ALIASES[dataset_id] = dict(entry["aliases"])
    merged["datasets"] = datasets
    return merged


def has_columns(dataset: dict) -> bool:
    return bool(dataset.get("columns")) or bool(dataset.get("legacy_columns"))


def is_inferred_current(dataset: dict) -> bool:
    """A dataset whose spec has no current layout (its `columns` are the legacy ones)."""
    return dataset.get("current") is None and bool(dataset.get("legacy_columns"))


def number_text(dataset: dict) -> str:
    return dataset["number"] if dataset["number"] is not None else "—"


def header_key(text: str) -> str:
    """The comparable form of a header, as the Swift `HeaderKey` computes it (NFKC, dashes, blanks, case)."""
    suffixes = ["(必須)", "(任意)", "(推奨)", "【必須】", "【任意】", "【推奨】", "※必須", "*", "※"]
    text = unicodedata.normalize("NFKC", text)
    for suffix in suffixes:
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    out = []
    for ch in text:
        code = ord(ch)
        if code in (0x20, 0x09, 0x3000, 0xA0, 0xFEFF, 0x0D, 0x0A):
            continue
        if code in (0x30FC, 0x2015, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2212, 0xFF70, 0x2500, 0xFF0D):
            out.append("-")
        elif 0x41 <= code <= 0x5A:
            out.append(chr(code + 0x20))
        else:
            out.append(ch)
    folded = "".join(out)
    for suffix in suffixes:
        if folded.endswith(suffix):
            folded = folded[: -len(suffix)]
    return folded


# =====================================================================================================================
# Per-column rules
# =====================================================================================================================

def parse_required_level(text: str | None) -> tuple[str, str]:
    """Map the spec's `required_level` text to (requiredLevel, requiredLevelSource)."""
    t = (text or "unknown").strip()
    inferred = t.startswith("inferred-by-analogy") or t == "unknown" or "not distinguished" in t
    if t == "unknown" or "not distinguished" in t:
        level = "optional"
    elif "required" in t or t == "必須":
        level = "required"
    elif "recommended" in t:
        level = "recommended"
    elif "optional" in t:
        level = "optional"
    else:
        raise ValueError(f"unknown required_level: {text!r}")
    return level, ("inferred" if inferred else "confirmed")


def choose_kind(name: str, spec_type: str | None) -> str:
    """The field kind of a column, by name (rules in table order); the spec's type decides …時間 → time, …日 → date."""
    if name in MUNICIPALITY_CODE_NAMES:
        return "municipalityCode"
    if name in IDENTIFIER_NAMES:
        return "identifier"
    if name == "緯度":
        return "latitude"
    if name == "経度":
        return "longitude"
    if name.endswith("_カナ"):
        return "kana"
    if name in PHONE_NAMES:
        return "phone"
    if name in EXTENSION_NAMES:
        return "extension"
    if "メールアドレス" in name:
        return "email"
    if name in URL_NAMES or name.endswith("URL"):
        return "url"
    if name == "郵便番号":
        return "postalCode"
    if name == "法人番号":
        return "corporateNumber"
    if "特記事項" not in name and (name in TIME_NAMES or (name.endswith("時間") and spec_type == "time")):
        return "time"
    if spec_type == "date" and (name in DATE_NAMES or name.endswith(DATE_SUFFIXES)):
        return "date"
    if name in WEEKDAY_NAMES:
        return "weekdays"
    if name.startswith("災害種別_") or name in FLAG_NAMES:
        return "flag"
    if name.endswith("有無") or name in YES_NO_EXTRA:
        return "yesNo"
    if name in INTEGER_NAMES or AGE_GROUP_RE.match(name) or TOILET_COUNT_RE.search(name):
        return "integer"
    if name in NUMBER_NAMES:
        return "number"
    if name == "高度の種別":
        return "altitudeType"
    return "text"


def is_multi_value(name: str, column: dict) -> bool:
    said = (column.get("english") or "") + " " + (column.get("notes") or "")
    return name in MULTI_VALUE_NAMES or '";"' in said


def raw_enum(column: dict) -> list[str]:
    """The values of a spec column's `enum [...]` note, empty string included; [] when there is none."""
    notes = column.get("notes") or ""
    if column.get("type") != "enum" or not notes.startswith("enum "):
        return []
    return list(ast.literal_eval(notes[len("enum "):]))


def parse_code_list(column: dict) -> list[str] | None:
    """The code list of a spec column typed `enum` whose notes read `enum [...]` (flags and 有/無 excluded)."""
    values = [v for v in raw_enum(column) if v != ""]
    if not values or set(values) <= set(YES_NO) or values == FLAG:
        return None
    return values


def code_lists(dataset: dict) -> dict[str, list[str]]:
    """Legacy code lists of a dataset, by legacy column name."""
    result = {}
    for column in dataset.get("legacy_columns") or []:
        values = parse_code_list(column)
        if values:
            result[column["name"]] = values
    return result


def official_english_names(spec: dict) -> dict[str, str]:
    """Official English names (S1) by column name, minus the rows the spec reports as misaligned."""
    source = next(d for d in spec["datasets"] if d["id"] == OFFICIAL_ENGLISH_DATASET)
    return {c["name"]: c["english_official"] for c in source["columns"]
            if c.get("english_official") and c["name"] not in MISALIGNED_OFFICIAL_ENGLISH}


def english_gloss(column: dict) -> str:
    return re.sub(r"^\[legacy\]\s*", "", column.get("english") or "").strip()


def type_for_kind(kind: str) -> str:
    return KINDS[kind][0]


# =====================================================================================================================
# Building fields
# =====================================================================================================================

class Context:
    """What field building needs besides the column itself; collects remarks for the run summary."""

    def __init__(self, spec: dict):
        self.official_english = official_english_names(spec)
        self.remarks: list[str] = []

    def remark(self, text: str) -> None:
        if text not in self.remarks:
            self.remarks.append(text)


def build_field(ctx: Context, dataset: dict, column: dict, layout: str, *, level: tuple[str, str],
                status: str, code_list: list[str] | None, legacy_required: bool | None = None,
                extra_notes: list[str] | None = None) -> dict:
    """One Frictionless field with its `civic` block. `layout` is `current` or `legacy`."""
    name = column["name"]
    spec_type = column.get("type")
    kind = choose_kind(name, spec_type)
    ftype = type_for_kind(kind)
    spec_ftype = {"enum": "string", "email": "string", "uri": "string"}.get(spec_type, spec_type)
    if spec_ftype != ftype:
        ctx.remark(f"type: {dataset['id']}/{layout}/{name}: spec says {spec_type}, kind {kind} gives {ftype}")

    description = column.get("definition_ja") or english_gloss(column)
    required_level, required_source = level

    constraints: dict = {}
    constraints["required"] = (legacy_required is True) if layout == "legacy" else (required_level == "required")
    pattern = pattern_for(kind, column)
    if pattern and ftype == "string":
        constraints["pattern"] = pattern
    enum, enum_level = enum_for(kind, name, code_list)
    if enum:
        constraints["enum"] = enum
    if kind == "integer":
        constraints["minimum"] = 0
    elif kind == "latitude":
        constraints["minimum"], constraints["maximum"] = -90, 90
    elif kind == "longitude":
        constraints["minimum"], constraints["maximum"] = -180, 180

    english = english_gloss(column)
    notes = [] if raw_enum(column) else [column.get("notes") or ""]   # an `enum [...]` note is constraints.enum
    if layout == "current":
        if name in ctx.official_english:
            english = ctx.official_english[name]
        elif name in MISALIGNED_OFFICIAL_ENGLISH and column.get("english_official"):
            notes.append(f"The official English name in the sheet, {column['english_official']}, is shifted "
                         f"from another row (spec: known defect); it is not used.")
    notes.extend(extra_notes or [])
    if FIELD_NOTES.get((dataset["id"], layout, name)):
        notes.append(FIELD_NOTES[(dataset["id"], layout, name)])

    civic: dict = {
        "english": english,
        "requiredLevel": required_level,
        "requiredLevelSource": required_source,
        "kind": kind,
        "aliases": [],
    }
    if layout == "legacy":
        civic["currentName"] = None
    if kind == "text" and is_multi_value(name, column):
        civic["separator"] = SEPARATOR
    if enum:
        civic["enumLevel"] = enum_level
    if kind == "municipalityCode":
        civic["checkDigit"] = "jisx0402"
    elif kind == "corporateNumber":
        civic["checkDigit"] = "corporateNumber"
    civic["status"] = status
    note_text = " ".join(n.strip() for n in notes if n and n.strip())
    if note_text:
        civic["notes"] = note_text

    field = {
        "name": name,
        "title": name,
        "description": description,
        "type": ftype,
        "format": TIME_FORMAT if ftype == "time" else "default",
        "constraints": constraints,
        "civic": civic,
    }
    return field


def pattern_for(kind: str, column: dict) -> str | None:
    if kind == "postalCode":
        return POSTAL_CODE_PATTERN
    if kind == "corporateNumber":
        return CORPORATE_NUMBER_PATTERN
    if kind in ("municipalityCode", "identifier", "kana"):
        return column.get("format")
    return None


def enum_for(kind: str, name: str, code_list: list[str] | None) -> tuple[list[str] | None, str | None]:
    if kind == "flag":
        return FLAG, "error"
    if kind == "yesNo":
        return YES_NO, ("error" if name.endswith("有無") else "warning")
    if kind == "altitudeType":
        return ALTITUDE_TYPES, "warning"
    if code_list:
        return code_list, "warning"
    return None, None


def status_text(column: dict, layout: str) -> str:
    """The spec's status/confidence note for a column, with what its required level rests on."""
    level_text = (column.get("required_level") or "unknown").strip()
    if layout == "legacy":
        base = "legacy definition (推奨データセット 基本編, via the FIWARE re-encoding)"
        if column.get("required") is True:
            return base + "; 必須 in the legacy definition"
        return base + "; not 必須 in the legacy definition (推奨/任意 not distinguished)"
    base = column.get("status") or "observed"
    if level_text == "unknown":
        return base + "; required level unknown (treated as optional)"
    if level_text.startswith("inferred-by-analogy"):
        return base + "; required level inferred by analogy with 公衆トイレ一覧 正式版"
    return base + "; required level from the official sheet"


def build_current_fields(ctx: Context, dataset: dict) -> list[dict]:
    lists = code_lists(dataset)
    fields = []
    for column in dataset["columns"]:
        name = column["name"]
        code_list = lists.get(name) or lists.get(CODE_LIST_TARGETS.get((dataset["id"], name), ""))
        extra = []
        if (dataset["id"], name) in CODE_LIST_TARGETS and code_list:
            extra.append(f"Code list taken from the legacy column {CODE_LIST_TARGETS[(dataset['id'], name)]} "
                         "(市川市's current file uses exactly these values).")
        elif code_list:
            extra.append("Code list from the legacy definition; not confirmed for the current layout.")
        fields.append(build_field(ctx, dataset, column, "current", level=parse_required_level(column.get("required_level")),
                                  status=status_text(column, "current"), code_list=code_list, extra_notes=extra))
    return fields


def build_legacy_fields(ctx: Context, dataset: dict, current_fields: list[dict]) -> list[dict]:
    lists = code_lists(dataset)
    current_names = {f["name"] for f in current_fields}
    fields = []
    for column in dataset.get("legacy_columns") or []:
        level = ("required", "confirmed") if column.get("required") is True else ("optional", "inferred")
        field = build_field(ctx, dataset, column, "legacy", level=level, status=status_text(column, "legacy"),
                            code_list=lists.get(column["name"]), legacy_required=column.get("required") is True)
        field["civic"]["currentName"] = map_legacy_name(column["name"], current_names)
        if column.get("required") is True and "" in raw_enum(column):
            # 必須 in the legacy list, yet its code list admits empty (災害種別_*: "1" or empty): the column is
            # required, a value is not.
            field["constraints"]["required"] = False
            note = ("Listed as 必須 in the legacy definition, whose code list also admits an empty cell: the column "
                    "must be present, a value need not be (constraints.required is false).")
            field["civic"]["notes"] = (field["civic"].get("notes", "") + " " + note).strip()
        fields.append(field)
    return fields


def map_legacy_name(name: str, current_names: set[str]) -> str | None:
    if name in current_names:
        return name
    target = LEGACY_RENAMES.get(name)
    return target if target in current_names else None


def build_inferred_current_fields(ctx: Context, dataset: dict, template: dict) -> list[dict]:
    """Current layout for a dataset with only a legacy definition: legacy blocks swapped for current ones."""
    template_columns = {c["name"]: c for c in template["columns"]}
    for name in CURRENT_ID_BLOCK + CURRENT_ADDRESS_BLOCK + CURRENT_ALTITUDE_BLOCK:
        if name not in template_columns:
            raise SystemExit(f"template dataset {TEMPLATE_DATASET} lacks {name}")
    lists = code_lists(dataset)

    def from_template(name: str) -> dict:
        column = template_columns[name]
        level = parse_required_level(column.get("required_level"))
        return build_field(ctx, dataset, column, "current", level=(level[0], "inferred"),
                           status=f"inferred: 2022+ template column (defined as in {template['number']} "
                                  f"{template['name_ja']}, {column.get('status') or 'observed'})",
                           code_list=None)

    def from_legacy(column: dict) -> dict:
        level = ("required" if column.get("required") is True else "optional", "inferred")
        note = "必須 in the legacy definition" if column.get("required") is True else "not 必須 in the legacy definition"
        return build_field(ctx, dataset, column, "current", level=level,
                           status=f"inferred: legacy column carried into the inferred current layout; {note}",
                           code_list=lists.get(column["name"]))

    fields: list[dict] = []
    id_done = address_done = False
    for column in dataset["legacy_columns"]:
        name = column["name"]
        if name in LEGACY_ID_BLOCK:
            if not id_done:
                fields.extend(from_template(n) for n in CURRENT_ID_BLOCK)
                id_done = True
            continue
        if name in LEGACY_ADDRESS_BLOCK:
            if not address_done:
                fields.extend(from_template(n) for n in CURRENT_ADDRESS_BLOCK)
                address_done = True
            continue
        fields.append(from_legacy(column))
        if name == "経度":
            fields.extend(from_template(n) for n in CURRENT_ALTITUDE_BLOCK)
    return fields


# =====================================================================================================================
# Aliases
# =====================================================================================================================

def attach_aliases(ctx: Context, dataset_id: str, fields: list[dict]) -> None:
    """Put the alias tables on the current fields; one alias → one field, never a field's own name."""
    owner: dict[str, str] = {header_key(f["name"]): f["name"] for f in fields}
    for field in fields:
        name = field["name"]
        wanted = list(ALIASES.get(name, []))
        wanted += APP_ENGLISH_ALIASES.get(name, [])
        wanted += DATASET_ALIASES.get(dataset_id, {}).get(name, [])
        wanted += CITY_ALIASES.get(dataset_id, {}).get(name, [])
        wanted += DATASET_NOTES_ALIASES.get(dataset_id, {}).get(name, [])
        if name in ctx.official_english:    # official sheet name; other datasets share the template column
            wanted.append(ctx.official_english[name])
        aliases: list[str] = []
        for alias in wanted:
            key = header_key(alias)
            holder = owner.get(key)
            if holder == name:
                continue          # duplicate of the name or of an alias already on this field
            if holder is not None:
                msg = f"alias collision in {dataset_id}: {alias!r} for {name} already means {holder}; skipped"
                print("warning: " + msg, file=sys.stderr)
                ctx.remark(msg)
                continue
            owner[key] = name
            aliases.append(alias)
        field["civic"]["aliases"] = aliases


# =====================================================================================================================
# Schemas
# =====================================================================================================================

def build_schema(ctx: Context, dataset: dict, template: dict) -> dict:
    inferred = is_inferred_current(dataset)
    if inferred:
        fields = build_inferred_current_fields(ctx, dataset, template)
    else:
        fields = build_current_fields(ctx, dataset)
    attach_aliases(ctx, dataset["id"], fields)
    legacy_fields = build_legacy_fields(ctx, dataset, fields)
    names = {f["name"] for f in fields}

    return {
        "name": dataset["id"],
        "title": dataset["name_ja"],
        "description": schema_description(dataset, inferred),
        "missingValues": [""],
        "fields": fields,
        "civic": {
            "number": dataset["number"],
            "titleEnglish": TITLE_ENGLISH[dataset["id"]],
            "fileNameHints": file_name_hints(dataset),
            "nameEndings": NAME_ENDINGS.get(dataset["id"]),
            "current": current_source(dataset, inferred),
            "legacy": legacy_source(dataset),
            "legacyFields": legacy_fields,
            "latitudeField": "緯度" if "緯度" in names else None,
            "longitudeField": "経度" if "経度" in names else None,
            "idField": next((f["name"] for f in fields if f["civic"]["kind"] == "identifier"), None),
        },
    }


def schema_description(dataset: dict, inferred: bool) -> str:
    if dataset["number"] is not None:
        parts = [f"{dataset['name_ja']} ({TITLE_ENGLISH[dataset['id']]}), No. {dataset['number']} of the "
                 f"自治体標準オープンデータセット."]
    else:
        parts = [f"{dataset['name_ja']} ({TITLE_ENGLISH[dataset['id']]}); its number in the 自治体標準オープンデータセット "
                 f"is not known ({dataset.get('number_note') or 'not found'})."]
    if inferred:
        parts.append("No current (2022+) header was found: the current layout here is inferred from the legacy "
                     "推奨データセット definition.")
    else:
        parts.append(f"Current layout: {dataset['current']['confidence']}.")
    if dataset.get("legacy_columns"):
        parts.append("Files in the legacy (2019) layout are read through legacyFields.")
    if dataset.get("notes"):
        parts.append(dataset["notes"])
    return " ".join(parts)


def file_name_hints(dataset: dict) -> list[str]:
    hints = [dataset["id"]]
    for hint in FILE_NAME_HINTS.get(dataset["id"], []):
        if hint not in hints:
            hints.append(hint)
    return hints


def current_source(dataset: dict, inferred: bool) -> dict:
    if inferred:
        return {
            "source": [dataset["legacy"]["source"],
                       "Civic tools/make_schemas.py: legacy identification/address blocks replaced by the 2022+ "
                       "template blocks, 高度の種別/高度の値 added after 経度"],
            "confidence": "inferred: no current-format definition or header was found, so the legacy columns are "
                          "used with the 2022+ identification/address/altitude blocks substituted. Spec: "
                          + dataset.get("current_status", ""),
            "inferred": True,
        }
    return {"source": list(dataset["current"]["source"]), "confidence": dataset["current"]["confidence"],
            "inferred": bool(dataset["current"].get("inferred", False))}


def legacy_source(dataset: dict) -> dict | None:
    if not dataset.get("legacy_columns"):
        return None
    return {"source": [dataset["legacy"]["source"]],
            "confidence": "faithful re-encoding of the legacy official definition (推奨データセット 基本編, 2019–2020); "
                          "必須 list confirmed, 推奨/任意 not distinguished"}


def build_all(spec: dict) -> tuple[list[dict], list[tuple[dict, str]], Context]:
    ctx = Context(spec)
    template = next(d for d in spec["datasets"] if d["id"] == TEMPLATE_DATASET)
    schemas, skipped = [], []
    for dataset in spec_datasets(spec):
        if not has_columns(dataset):
            skipped.append((dataset, dataset.get("current_status") or "no column list in the spec"))
            continue
        if dataset["id"] not in TITLE_ENGLISH:
            skipped.append((dataset, "columns present but no rules for this dataset yet (add it to TITLE_ENGLISH)"))
            continue
        schemas.append(build_schema(ctx, dataset, template))
    return schemas, skipped, ctx


# =====================================================================================================================
# Rendering
# =====================================================================================================================

def render_json(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def render_swift(schemas: list[dict]) -> str:
    lines = [
        "// Generated by tools/make_schemas.py from schemas/*.schema.json — do not edit by hand.",
        "extension SchemaCatalog {",
        "    /// The JSON text of every bundled schema, keyed by dataset id, in dataset-number order.",
        "    /// Each text is the schema file's content without its final newline.",
        "    static let bundledSchemaJSON: [(id: String, json: String)] = [",
    ]
    for schema in schemas:
        text = render_json(schema).rstrip("\n")
        if '"""#' in text or "\\#" in text:
            raise SystemExit(f"{schema['name']}: JSON contains a Swift raw-string delimiter")
        # The layout swift-format produces (4-space indent), so `swift format lint` stays quiet.
        lines += ["        (", f'            "{schema["name"]}",', '            #"""']
        lines.extend(("            " + line) if line else "" for line in text.split("\n"))
        lines += ['            """#', "        ),"]
    lines += ["    ]", "}", ""]
    return "\n".join(lines)


def md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_readme(schemas: list[dict], skipped: list[tuple[dict, str]]) -> str:
    out = [
        "# Dataset schemas",
        "",
        "**Generated files — do not edit by hand.** They are written by `tools/make_schemas.py` from the research "
        "file `../shared/reference/datasets-spec.json` and the repository's own research files "
        "[`tools/schema-sources/*.json`](../tools/schema-sources/) (datasets the spec has no columns for); the format "
        "is described in "
        "[`docs/schema-format.md`](../docs/schema-format.md). To regenerate (and to check that the files are up to date):",
        "",
        "```sh",
        "python3 tools/make_schemas.py            # rewrite schemas/, BundledSchemas.swift and docs/schema-format.md",
        "python3 tools/make_schemas.py --check    # exit 1 if any generated file differs from what is on disk",
        "```",
        "",
        "The same JSON texts are compiled into the library as `Sources/CivicData/Schema/BundledSchemas.swift`.",
        "",
        "| file | 番号 | 名称 | current layout confidence | legacy | fields | legacy fields |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in schemas:
        c = s["civic"]
        confidence = c["current"]["confidence"]
        if c["current"]["inferred"]:
            confidence = "**inferred** — " + confidence.removeprefix("inferred: ")
        out.append(f"| [`{s['name']}.schema.json`]({s['name']}.schema.json) | {c['number'] or '—'} | {s['title']} | "
                   f"{md_cell(confidence)} | {'yes' if c['legacy'] else 'no'} | {len(s['fields'])} | "
                   f"{len(c['legacyFields'])} |")
    out += [
        "",
        "## Datasets without a schema",
        "",
        "These are in the national numbering but the spec gives no reliable column list, so no schema is generated.",
        "",
        "| 番号 | 名称 | id | why |",
        "|---|---|---|---|",
    ]
    for dataset, why in skipped:
        out.append(f"| {number_text(dataset)} | {dataset['name_ja']} | `{dataset['id']}` | {md_cell(why)} |")
    out.append("")
    return "\n".join(out)


def kind_counts(schemas: list[dict]) -> tuple[Counter, Counter]:
    current, legacy = Counter(), Counter()
    for s in schemas:
        current.update(f["civic"]["kind"] for f in s["fields"])
        legacy.update(f["civic"]["kind"] for f in s["civic"]["legacyFields"])
    return current, legacy


def render_docs(schemas: list[dict]) -> str:
    current_counts, legacy_counts = kind_counts(schemas)
    kind_rows = "\n".join(
        f"| `{kind}` | `{ftype}` | {md_cell(rule)} | {current_counts.get(kind, 0)} | {legacy_counts.get(kind, 0)} |"
        for kind, (ftype, rule) in KINDS.items())
    rename_rows = "\n".join(f"| {old} | {new} |" for old, new in LEGACY_RENAMES.items())
    alias_rows = "\n".join(f"| {name} | {', '.join(aliases)} |" for name, aliases in ALIASES.items())
    dataset_alias_rows = "\n".join(
        f"| `{ds}` | {name} | {', '.join(aliases)} |"
        for table in (DATASET_ALIASES, DATASET_NOTES_ALIASES) for ds, by_name in table.items()
        for name, aliases in by_name.items())
    return DOCS_TEMPLATE.format(
        kind_rows=kind_rows, rename_rows=rename_rows, alias_rows=alias_rows, dataset_alias_rows=dataset_alias_rows,
        legacy_id=", ".join(LEGACY_ID_BLOCK), current_id=", ".join(CURRENT_ID_BLOCK),
        legacy_address=", ".join(LEGACY_ADDRESS_BLOCK), current_address=", ".join(CURRENT_ADDRESS_BLOCK),
        altitude=", ".join(CURRENT_ALTITUDE_BLOCK), misaligned=", ".join(sorted(MISALIGNED_OFFICIAL_ENGLISH)),
    )


def render_all(spec: dict) -> tuple[dict[str, str], list[dict], list[tuple[dict, str]], Context]:
    """Every generated file, by path relative to the repository root."""
    schemas, skipped, ctx = build_all(spec)
    files = {f"{SCHEMA_DIR}/{s['name']}.schema.json": render_json(s) for s in schemas}
    files[README_PATH] = render_readme(schemas, skipped)
    files[SWIFT_PATH] = render_swift(schemas)
    files[DOCS_PATH] = render_docs(schemas)
    return files, schemas, skipped, ctx


# =====================================================================================================================
# Validation
# =====================================================================================================================

def validate(spec: dict, files: dict[str, str], schemas: list[dict]) -> list[str]:
    """Problems in the generated output (an empty list means all checks passed)."""
    errors: list[str] = []
    by_id = {s["name"]: s for s in schemas}
    for dataset_id in REQUIRED_DATASETS:
        if dataset_id not in by_id:
            errors.append(f"missing dataset {dataset_id}")
    for path, text in files.items():
        if path.endswith(".schema.json"):
            try:
                json.loads(text)
            except json.JSONDecodeError as error:
                errors.append(f"{path}: not JSON: {error}")

    spec_by_id = {d["id"]: d for d in spec["datasets"]}
    for s in schemas:
        sid, civic = s["name"], s["civic"]
        for layout, fields in (("fields", s["fields"]), ("legacyFields", civic["legacyFields"])):
            names = [f["name"] for f in fields]
            if len(set(names)) != len(names):
                errors.append(f"{sid}.{layout}: duplicate names")
            keys = [header_key(n) for n in names]
            if len(set(keys)) != len(keys):
                errors.append(f"{sid}.{layout}: names collide after header normalisation")
            for f in fields:
                errors.extend(check_field(sid, layout, f))
        current_names = {f["name"] for f in s["fields"]}
        for f in civic["legacyFields"]:
            if "currentName" not in f["civic"]:
                errors.append(f"{sid}: legacy field {f['name']} has no currentName key")
            elif f["civic"]["currentName"] is not None and f["civic"]["currentName"] not in current_names:
                errors.append(f"{sid}: legacy {f['name']} → {f['civic']['currentName']} not in fields")
        seen: dict[str, str] = {header_key(n): n for n in current_names}
        for f in s["fields"]:
            for alias in f["civic"]["aliases"]:
                key = header_key(alias)
                if key in seen and seen[key] != f["name"]:
                    errors.append(f"{sid}: alias {alias} of {f['name']} collides with {seen[key]}")
                seen[key] = f["name"]
        for key in ("latitudeField", "longitudeField", "idField"):
            if civic[key] is not None and civic[key] not in current_names:
                errors.append(f"{sid}: {key} {civic[key]} not in fields")
        # column counts against the spec
        d = spec_by_id[sid]
        want_legacy = len(d.get("legacy_columns") or [])
        if is_inferred_current(d):
            want_current = (want_legacy - len(LEGACY_ID_BLOCK) + len(CURRENT_ID_BLOCK) - len(LEGACY_ADDRESS_BLOCK)
                            + len(CURRENT_ADDRESS_BLOCK) + len(CURRENT_ALTITUDE_BLOCK))
        else:
            want_current = len(d["columns"])
            if [f["name"] for f in s["fields"]] != [c["name"] for c in d["columns"]]:
                errors.append(f"{sid}: current field order differs from the spec")
        if len(s["fields"]) != want_current:
            errors.append(f"{sid}: {len(s['fields'])} current fields, expected {want_current}")
        if len(civic["legacyFields"]) != want_legacy:
            errors.append(f"{sid}: {len(civic['legacyFields'])} legacy fields, expected {want_legacy}")
    for sid, current, legacy in (("aed", 39, 22), ("public_toilet", 39, 32)):
        s = by_id.get(sid)
        if s and (len(s["fields"]), len(s["civic"]["legacyFields"])) != (current, legacy):
            errors.append(f"{sid}: expected {current} current / {legacy} legacy fields")
    return errors


def check_field(sid: str, layout: str, f: dict) -> list[str]:
    errors = []
    where = f"{sid}.{layout}.{f['name']}"
    civic, cons = f["civic"], f["constraints"]
    if civic["kind"] not in KINDS:
        errors.append(f"{where}: unknown kind {civic['kind']}")
    elif type_for_kind(civic["kind"]) != f["type"]:
        errors.append(f"{where}: type {f['type']} does not fit kind {civic['kind']}")
    if civic["requiredLevel"] not in ("required", "recommended", "optional"):
        errors.append(f"{where}: bad requiredLevel")
    if civic["requiredLevelSource"] not in ("confirmed", "inferred"):
        errors.append(f"{where}: bad requiredLevelSource")
    if ("enum" in cons) != ("enumLevel" in civic):
        errors.append(f"{where}: enum and enumLevel must come together")
    if civic.get("enumLevel") not in (None, "error", "warning"):
        errors.append(f"{where}: bad enumLevel")
    if layout == "fields" and cons["required"] != (civic["requiredLevel"] == "required"):
        errors.append(f"{where}: constraints.required disagrees with requiredLevel")
    if "pattern" in cons:
        try:
            re.compile(cons["pattern"])
        except re.error as error:
            errors.append(f"{where}: bad pattern: {error}")
    if (layout == "legacyFields") != ("currentName" in civic):
        errors.append(f"{where}: currentName belongs to legacy fields only")
    return errors


# =====================================================================================================================
# Real headers (PROVENANCE.md) — an informational report
# =====================================================================================================================

#: PROVENANCE.md's names of dataset kinds that are a schema id under another name.
PROVENANCE_KINDS = {"designated_shelter": "shelter"}


def realdata_report(provenance: Path, schemas: list[dict]) -> list[str]:
    by_id = {s["name"]: s for s in schemas}
    lines = []
    text = provenance.read_text(encoding="utf-8")
    for section in re.split(r"^### ", text, flags=re.M)[1:]:
        file_name = section.splitlines()[0].strip()
        kind_match = re.search(r"dataset kind: ([a-z_]+)", section)
        header_match = re.search(r"^- header: `(.*)`$", section, flags=re.M)
        if not kind_match or not header_match:
            continue
        schema = by_id.get(PROVENANCE_KINDS.get(kind_match.group(1), kind_match.group(1)))
        headers = [h for h in header_match.group(1).split(",") if h and h != "#property"]
        if schema is None:
            lines.append(f"{file_name}: no schema for kind {kind_match.group(1)}")
            continue
        current = {header_key(f["name"]): f["name"] for f in schema["fields"]}
        for f in schema["fields"]:
            for alias in f["civic"]["aliases"]:
                current.setdefault(header_key(alias), f["name"])
        legacy = {header_key(f["name"]) for f in schema["civic"]["legacyFields"]}
        names = [f["name"] for f in schema["fields"]]
        legacy_names = [f["name"] for f in schema["civic"]["legacyFields"]]
        if headers == names:
            verdict = "= current layout"
        elif headers == legacy_names:
            verdict = "= legacy layout"
        elif [header_key(h) for h in headers] == [header_key(n) for n in legacy_names]:
            verdict = "= legacy layout after header normalisation"
        else:
            unknown = [h for h in headers if header_key(h) not in current and header_key(h) not in legacy]
            extra_vs_current = [h for h in headers if header_key(h) not in current]
            verdict = (f"mixed/non-standard: {len(headers) - len(extra_vs_current)}/{len(headers)} headers resolve "
                       f"to current fields; unknown to both layouts: {unknown or 'none'}")
        lines.append(f"{file_name} [{schema['name']}]: {verdict}")
    return lines


# =====================================================================================================================
# Main
# =====================================================================================================================

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="path of datasets-spec.json")
    parser.add_argument("--check", action="store_true", help="do not write; exit 1 if a generated file differs")
    parser.add_argument("--realdata", nargs="?", type=Path, const=DEFAULT_PROVENANCE, default=None,
                        help="also compare the real headers listed in PROVENANCE.md with the schemas")
    args = parser.parse_args(argv)

    spec_path = args.spec if args.spec.is_absolute() else (Path.cwd() / args.spec)
    if not spec_path.exists() and not args.spec.is_absolute():
        spec_path = REPO_ROOT / args.spec
    if not spec_path.exists():
        print(f"error: spec not found: {args.spec}", file=sys.stderr)
        return 2
    spec = merge_local_sources(load_spec(spec_path), load_local_sources())
    files, schemas, skipped, ctx = render_all(spec)

    errors = validate(spec, files, schemas)
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    if errors:
        return 1

    if args.check:
        return check_files(files)

    write_files(files)
    current_counts, legacy_counts = kind_counts(schemas)
    print(f"wrote {len(schemas)} schemas ({', '.join(s['name'] for s in schemas)})")
    print(f"skipped {len(skipped)}: {', '.join(d['id'] for d, _ in skipped)}")
    print("kinds (current / legacy): " + ", ".join(
        f"{k} {current_counts.get(k, 0)}/{legacy_counts.get(k, 0)}" for k in KINDS))
    for remark in ctx.remarks:
        print(f"note: {remark}")
    if args.realdata:
        for line in realdata_report(args.realdata, schemas):
            print(f"realdata: {line}")
    return 0


def write_files(files: dict[str, str]) -> None:
    schema_dir = REPO_ROOT / SCHEMA_DIR
    schema_dir.mkdir(parents=True, exist_ok=True)
    for stale in schema_dir.glob("*.schema.json"):
        if f"{SCHEMA_DIR}/{stale.name}" not in files:
            stale.unlink()
    for path, text in files.items():
        target = REPO_ROOT / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8", newline="\n")


def check_files(files: dict[str, str]) -> int:
    differing = []
    for path, text in files.items():
        target = REPO_ROOT / path
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            differing.append(path)
    for stale in (REPO_ROOT / SCHEMA_DIR).glob("*.schema.json"):
        if f"{SCHEMA_DIR}/{stale.name}" not in files:
            differing.append(f"{SCHEMA_DIR}/{stale.name} (not generated any more)")
    for path in differing:
        print(f"out of date: {path}", file=sys.stderr)
    if differing:
        print("run: python3 tools/make_schemas.py", file=sys.stderr)
        return 1
    print(f"ok: {len(files)} generated files are up to date")
    return 0


# =====================================================================================================================
# docs/schema-format.md (the tables are filled from the rule tables above)
# =====================================================================================================================

DOCS_TEMPLATE = """\
<!-- Generated by tools/make_schemas.py — do not edit by hand; change the script and regenerate. -->
# Schema format

Civic describes each national standard dataset (自治体標準オープンデータセット, formerly 推奨データセット) with one
JSON file, `schemas/<id>.schema.json`. The file is a [Frictionless Table Schema](https://specs.frictionlessdata.io/table-schema/)
(v1) whose extra information lives in `civic` objects — at the top level and in every field. A Frictionless tool
reads the standard part and ignores `civic`; Civic's `Schema` / `Field` types (`Sources/CivicData/Schema/`) decode
both. The files are generated by `tools/make_schemas.py` from `../shared/reference/datasets-spec.json` (the
project's research notes) and the research files kept in the repository, `tools/schema-sources/*.json` (see
[Local research files](#local-research-files)); `schemas/README.md` lists them. The same texts are compiled into the library
(`BundledSchemas.swift`), so `SchemaCatalog.bundled` needs no resource files.

Two column layouts exist for most datasets, and a reader must accept both:

- **current** — the 2022+ template (推奨データセット改定 → 自治体標準オープンデータセット 試行版 → 正式版):
  `全国地方公共団体コード, ID, 地方公共団体名, …, 所在地_*, 建物名等(方書), 緯度, 経度, 高度の種別, 高度の値, …`.
  It is the schema's `fields`.
- **legacy** — the 2019–2020 推奨データセット 基本編: `都道府県コード又は市区町村コード, NO, 都道府県名, 市区町村名, …,
  住所, 方書, 緯度, 経度, …`. It is `civic.legacyFields`, each field naming the current field it maps to.

## Top level

| key | standard? | meaning |
|---|---|---|
| `name` | Frictionless (descriptor name) | dataset id, an English slug: `aed`, `public_toilet` |
| `title` | Frictionless | Japanese name (名称): `AED設置箇所一覧` |
| `description` | Frictionless | short summary, including how sure the current layout is |
| `missingValues` | Frictionless | always `[""]`: an empty cell is a missing value (空欄 = 不明・該当なし). Other placeholders seen in real files (`-`, `なし`) are *not* missing values; validators report them |
| `fields` | Frictionless | the **current** layout, in column order |
| `civic` | extension | see below |

`civic` (top level):

| key | type | meaning |
|---|---|---|
| `number` | string or `null` | two-digit number in the definition books (データ項目定義書): `"08"`; `null` when the research did not find it (指定避難所一覧) |
| `titleEnglish` | string | English name |
| `fileNameHints` | [string] | lower-case words seen in real file names (`<code>_<slug>.csv` is an observed convention, not a rule), e.g. `["shelter", "hinanjo", "hinannjo", "避難所"]`; they only break a tie between datasets that explain a non-standard header about equally |
| `nameEndings` | [string] or null | how the names of the dataset's entries end (`病院`, `保育園`, `小学校`); when at least 75 % (and two or more) of one column's sampled values end so, the values name the dataset — a tie-breaker, and the only evidence a file without a header row can give |
| `current` | object | where the current layout comes from: `source` ([string]), `confidence` (free text from the spec or the local research file: `confirmed-official`, `observed …`, `partial …`, `inferred …`), `inferred` (bool: `true` when no current header was found and the layout was derived, see below) |
| `legacy` | object or `null` | `source`, `confidence` of the legacy layout; `null` when the dataset has none |
| `legacyFields` | [field] | the legacy layout in column order (`[]` when none) |
| `latitudeField`, `longitudeField` | string or `null` | names of the current coordinate columns (緯度 / 経度), `null` when the layout has none |
| `idField` | string or `null` | name of the current record-identifier column (`ID`; `データセット_ID` for オープンデータ一覧), `null` when none |

## Fields

| key | standard? | meaning |
|---|---|---|
| `name` | Frictionless | the Japanese item name (項目名) exactly as in the definition or the real header; the key of the column |
| `title` | Frictionless | same as `name` |
| `description` | Frictionless | the Japanese definition (説明) when the spec has it, else an English gloss |
| `type` | Frictionless | `string`, `integer`, `number`, `date` or `time` — decided by the kind (below). In a schema without `civic.kind` on a field, `integer` and `number` give that kind, any other type `text`; a field without `type` is a `string` |
| `format` | Frictionless | `default`; `%H:%M` for `time` (Frictionless' default time format would be `HH:MM:SS`). `date` uses `default` = `YYYY-MM-DD` |
| `constraints.required` | Frictionless | `true` only when `civic.requiredLevel` is `required` (◎ 必須). In `legacyFields`: `true` when the legacy definition lists the column as required — except where the legacy code list itself admits an empty cell (災害種別_*, 指定避難所との重複: "1" or empty), which stay `false` with `requiredLevel: required` (the column must exist, a value need not) |
| `constraints.pattern` | Frictionless | regular expression matched against the whole value. The generated schemas put it on string fields only (Frictionless v1 defines `pattern` for strings): municipality codes, ID, カナ, 郵便番号, 法人番号; `time` and `date` values are checked through `format`. Civic enforces a pattern on any field ([Constraints](#constraints)) |
| `constraints.enum` | Frictionless | allowed values; how a value outside the list is reported is `civic.enumLevel` |
| `constraints.minimum` / `maximum` | Frictionless | counts ≥ 0; 緯度 −90…90; 経度 −180…180. Numbers, on numeric fields ([Constraints](#constraints)) |
| `constraints.unique` | Frictionless | not in the generated schemas (the `civic.idField` column is unique anyway); in a user schema `true` means no two records of a file have the same value |
| `civic` | extension | see below |

`civic` (per field):

| key | type | values | meaning |
|---|---|---|---|
| `english` | string | | current fields: the official English name (from the 公衆トイレ一覧 正式版 sheet, reused for the same template column in other datasets, e.g. `localGovernmentCode`), else an English gloss. Legacy fields: an English gloss |
| `requiredLevel` | string | `required` / `recommended` / `optional` | 区分: ◎ 必須 / ○ 推奨 (also written 〇 U+3007) / blank 任意 |
| `requiredLevelSource` | string | `confirmed` / `inferred` | `confirmed`: read in the official sheet (公衆トイレ一覧) or the legacy 必須 list. `inferred`: taken by analogy from 公衆トイレ一覧 正式版, or unknown and set to `optional`, or a legacy column outside the 必須 list (the legacy definition does not tell 推奨 from 任意). **Validators should report a missing value in an inferred `required` field as a warning, not an error** |
| `kind` | string | see [Kinds](#kinds) | what the column holds; decides checking and normalisation. A kind Civic does not know is read as `text` (and kept when the schema is written back); the reader reports it once per file (`schema.unknownKind`, a warning at the header line) |
| `aliases` | [string] | | other header spellings that mean this column (real headers: 高松市's English property names, 松山市's 名称かな / 所在地, …); compared after header normalisation (`HeaderKey`: NFKC, dash family → `-`, blanks removed, ASCII lower-cased, （必須） suffixes dropped). One alias belongs to one field per dataset, and never equals another field's name. Aliases are only on current fields |
| `currentName` | string or `null` | | **legacyFields only**: the current field this legacy column maps to, or `null` when it has none (the column is kept as an extra column) |
| `separator` | string | `;` | only on multi-value columns: values are split on 「;」(半角セミコロン) |
| `enumLevel` | string | `error` / `warning` | only with `constraints.enum`: how a value outside the list is reported. `error` for the confirmed vocabularies (…有無 = 有/無, flags = `1`); `warning` when the list comes from the legacy definition (種別, 種類, 分類, 医療機関の種類) or is unconfirmed for the current layout (高度の種別, the local column 外部利用不可) |
| `checkDigit` | string | `jisx0402` / `corporateNumber` | check-digit algorithm to apply (municipality codes: to 6-digit values only; 法人番号) |
| `status` | string | | the spec's status for the column (`confirmed-official`, `observed`, legacy definition, inferred …) and what its required level rests on |
| `notes` | string | | notes from the spec (real-data variants, units, known defects) |

Keys a field does not need are left out (`separator`, `enumLevel`, `checkDigit`, `notes`, and `currentName` outside
`legacyFields`); `aliases` is always present (possibly empty).

## Kinds

Chosen by column name, in the order of this table; for a …時間 or …日 column the spec's type decides whether it is
`time` / `date`, and …特記事項 columns are always `text`. The counts are over all generated schemas.

| kind | type | rule | current fields | legacy fields |
|---|---|---|---|---|
{kind_rows}

Multi-value `text` columns (separator `;`, confirmed for the legacy definition): 診療科目, 文化財分類, バリアフリー情報,
対象となる町会・自治会. The accessibility columns of the current template (車椅子可, 授乳室, …) stay `text`: the spec
gives no vocabulary for them (real files use 有 / 無 / 可).

Code lists from the legacy definition become `constraints.enum` with `enumLevel: "warning"` on the legacy column and
on the current column of the same name (消防水利 種別, 子育て 種別, 文化財 種類, 医療機関の種類, オープンデータ 分類 —
the last one also on the current データセット_分類, whose values in 市川市's file are exactly the legacy list).

## Legacy → current mapping

Each legacy field has `civic.currentName`:

1. a legacy column whose name is also in the current layout maps to itself;
2. otherwise these renames apply, but only when the target exists in that dataset's current layout:

| legacy | current |
|---|---|
{rename_rows}

3. anything else maps to `null` and is kept as an extra column (e.g. バリアフリー情報, オープンデータ一覧's データ名称).

When several legacy columns map to one current column (都道府県名 + 市区町村名 → 地方公共団体名) the reader joins
their values in legacy column order.

### Inferred current layouts

医療機関一覧 (`medical_institution`) and イベント一覧 (`event`) have no current definition or header in the
research. Their `fields` are **inferred** (`civic.current.inferred: true`, every field `requiredLevelSource:
inferred`): the legacy columns, with

- {legacy_id} → {current_id},
- {legacy_address} → {current_address},
- {altitude} inserted after 緯度, 経度.

The substituted columns take their definitions from 公共施設一覧; the legacy columns keep their legacy definitions and
required levels. The 2022+ contact block (連絡先メールアドレス, 連絡先FormURL, …) is not added.

指定避難所一覧 (`shelter`) is inferred too (`civic.current.inferred: true`), but from the local research file, not
from a legacy definition: see below.

## Local research files

`../shared/reference/datasets-spec.json` is shared and read-only here, so research on datasets it lists without
columns (or does not list) lives in the repository: one file per dataset in `tools/schema-sources/<id>.json`,
merged by `merge_local_sources`. Each file holds `dataset` (the spec's dataset format: `id`, `number` — `null` when
unknown —, `name_ja`, `current` {{`source`, `confidence`, `inferred`}}, `columns`, `notes`), `title_english`,
`file_name_hints` and per-field `aliases`. A column written `{{"from": "<dataset>", "name": …}}` is that spec
column (`from_name` when it is called differently there; definition, notes, required level by analogy) with the file's other keys laid over it. A file may only add
a dataset or fill one the spec lists without columns; if the spec gains columns for it, the generator stops until
the two are reconciled. A file with `columns: []` only replaces the spec's `current_status` (the reason shown in
`schemas/README.md` for a dataset without a schema). `--check` covers these files: they are inputs of every
generated file.

## Aliases

Put on the current field they mean, only in datasets that have that field:

| field | aliases |
|---|---|
{alias_rows}

Per dataset:

| dataset | field | aliases |
|---|---|---|
{dataset_alias_rows}

Official English names from the 公衆トイレ一覧 sheet (`english_official` in the spec) are aliases too, for every
dataset with that template column. The spec reports the sheet's English names as shifted for some rows; those
({misaligned}) are used neither as aliases nor as `english`.

## Constraints

The reader checks the constraints of every field of the schema — bundled or a user's, whatever the field's kind — on
each cell *after* the kind has normalised it (trimmed, narrowed, reformatted), so a constraint judges the value that
is written out. An empty cell is a missing value: only `required` looks at it.

| constraint | what is checked | finding |
|---|---|---|
| `required` | the column exists (header) and the value is not empty (each record) | `header.missingRequired`, `cell.required`: errors, warnings where `requiredLevelSource` is `inferred` |
| `pattern` | the whole value matches: patterns are implicitly anchored as in Frictionless (`[A-Z]{{2}}[0-9]{{4}}` accepts `AB1234`, not `AB12345`). ICU regular expressions, compiled once per column | `cell.pattern`, error |
| `enum` | the value is one of the list (`flag` columns: their kind checks it) | `cell.enum`, at `civic.enumLevel` |
| `minimum` / `maximum` | on a numeric field — kind `integer`, `number`, `latitude`, `longitude`, or type `integer` / `number` — the value as a number | `number.belowMinimum`, `number.aboveMaximum`, errors |
| `unique` | no two records of the file have the same value (the reader keeps one hash per value, not the values) | `cell.unique`, error; `id.duplicate` for the `civic.idField` column, which is always unique |

Nothing is reported twice:

- A value its kind already found wrong (an error or a warning: an ID that is not 半角英数字, a count that is not a
  number) is not also checked against `pattern`, `minimum` and `maximum`.
- A pattern that a kind's own check enforces runs no regular expression: the generated schemas' patterns on
  `municipalityCode`, `identifier`, `kana`, `postalCode` and `corporateNumber` fields (so reading a standard dataset
  runs none; the カナ check reports `kana.notKatakana`, a warning, and also admits ヷ–ヺ and ヽヾ). Any other
  pattern — a user's, or one on a field of another kind — is run.
- A count is an `integer` field with `minimum: 0`: a negative count is `number.belowMinimum`, from the constraint (the
  `integer` kind itself admits a sign).
- 緯度 / 経度 bounds of ±90 / ±180 (or wider) are the coordinate check's, which exchanges a swapped pair before it
  judges the range. Narrower bounds are checked on the cell, except on a value in the other coordinate's range for
  Japan (a 緯度 of 122–154, a 経度 of 20–46), which the coordinate check exchanges or reports.
- `minimum` / `maximum` on a field that is not numeric are ignored. They are JSON numbers (a Frictionless date bound
  such as `"2020-01-01"` does not decode).

A pattern that is not a regular expression makes the schema fail to load: `SchemaError` `invalidPattern`, naming the
schema and the field.

## User schemas

A user extends the bundled schemas with a folder of `*.schema.json` files in this format:
`SchemaCatalog.bundled.merging(directory:)` (one schema in code: `adding(_:)`).

- A file whose `name` is a bundled dataset id replaces that schema (in its place in the catalogue); a new `name` adds a
  dataset, recognised from headers (and file names, `civic.fileNameHints`) like the bundled ones.
- Every `*.schema.json` of the folder is read, in file-name order; other files are ignored. Two files with the same
  `name` are an error (`duplicateDataset`).
- A folder that does not exist, or that has no `*.schema.json`, is an error (`directoryNotFound`, `noSchemaFiles`): a
  mistyped path must not mean "no overrides".
- A file that is not JSON, or not a schema, is an error naming the file (`malformed`): the line and column of a JSON
  syntax error, the path of a missing or mistyped value (`fields[3].constraints.minimum`).
- Only `name` and `fields` (each with a `name`) are required: `title` defaults to the `name`, `type` to `string`,
  `civic` to nothing. Without `civic.latitudeField` / `longitudeField` a dataset has no coordinates; without
  `civic.idField`, no ID column.
- `Schema.encodedJSON()` writes a schema back (keys sorted); decoding that gives the same schema. Keys the format does
  not model, and keys whose value is `null`, are not written.

For example, `playground.schema.json`:

```json
{{
  "name": "playground",
  "title": "遊び場一覧",
  "fields": [
    {{"name": "名称", "type": "string", "constraints": {{"required": true}}}},
    {{"name": "管理番号", "type": "string", "constraints": {{"pattern": "[A-Z]{{2}}[0-9]{{4}}", "unique": true}}}},
    {{"name": "遊具の数", "type": "integer", "constraints": {{"minimum": 0, "maximum": 50}}}},
    {{"name": "砂場の有無", "type": "string", "constraints": {{"enum": ["有", "無"]}}, "civic": {{"kind": "yesNo"}}}}
  ],
  "civic": {{"fileNameHints": ["playground"]}}
}}
```

## How a reader uses a schema

1. Compare headers by their normalised form (`HeaderKey`), never verbatim: real headers differ in width, dashes
   (焼津市 writes 都道府県コ―ド with U+2015) and blanks.
2. Decide the layout: a header that matches `legacyFields` by name is legacy; otherwise current names and aliases
   are used. Columns are matched by name, not position (市川市's 指定緊急避難場所一覧 puts 地方公共団体名 after
   市区町村コード).
3. Read legacy rows through `currentName`. Columns mapping to the same current column are joined in legacy order;
   the official example of 地方公共団体名 (`北海道札幌市`) is a plain concatenation of 都道府県名 and 市区町村名.
4. Keep columns that match nothing (local extras such as 画像2, 外部利用不可 in other datasets, UTMポイント) as
   extra columns, and say so in the report.
5. Enforce the [constraints](#constraints): values outside `constraints.enum` at `enumLevel`, missing values of
   inferred requirements as warnings.

## Sources and confidence

- **公衆トイレ一覧 (13)** is the only dataset whose current layout is confirmed against the official 正式版 sheet
  (データ項目定義書A, via the Open Infra Japan extraction): 区分 (required levels), 形式, IMI paths.
- **AED (08) and 観光施設 (11)**: items 1–7 confirmed against rendered official sheets; the rest observed.
- **01–07, 09, 14**: current column lists observed in one or two real files (市川市 2022–23, 焼津市); required levels
  inferred by analogy with 公衆トイレ一覧.
- **10, 12**: inferred (see above).
- **Legacy layouts**: the FIWARE re-encoding of the 推奨データセット 基本編 definitions (faithful; 必須 list confirmed).
- General rules (有/無, 「;」, 高度の種別, hh:mm, 全国地方公共団体コード check digit) are in the spec's `general_rules`
  with their sources.

Each schema states its own `civic.current` / `civic.legacy` `source` and `confidence`; each field its `status` and
`requiredLevelSource`. Datasets 15–31 have no reliable column list and get no schema (see `schemas/README.md`).
"""


if __name__ == "__main__":
    sys.exit(main())
