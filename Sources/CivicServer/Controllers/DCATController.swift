import CivicData
import CivicGeo
import CivicStore
import Foundation
import Hummingbird

/// The catalogue as DCAT (DCAT-AP 3) in JSON-LD: `/catalog.jsonld` for all datasets, `/datasets/{id}.jsonld` for one,
/// each with licence, publisher (the municipality), update date, spatial extent and a distribution per format.
struct DCATController: Sendable {
    let catalogue: Catalogue
    let configuration: ServerConfiguration
    let delivery: Delivery
    let changes: any CatalogChangeStore

    static let context: [String: String] = [
        "dcat": "http://www.w3.org/ns/dcat#",
        "dct": "http://purl.org/dc/terms/",
        "foaf": "http://xmlns.com/foaf/0.1/",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "gsp": "http://www.opengis.net/ont/geosparql#",
        "dcatap": "http://data.europa.eu/r5r/",
        "dqv": "http://www.w3.org/ns/dqv#",
        "hydra": "http://www.w3.org/ns/hydra/core#",
    ]

    /// The largest `page` of `/catalog.jsonld` (a million pages of 1,000 datasets; beyond, the offset is no number).
    static let maximumPage = 1_000_000

    func addRoutes(to router: Router<CivicRequestContext>) {
        router.get("/catalog.jsonld") { request, _ in try self.delivery.respond(request) { try self.catalog(request) } }
        router.get("/catalog/changes") { request, _ in try self.delivery.respond(request) { try self.changeFeed(request) } }
    }

    /// `/catalog/changes?since=&limit=`: the datasets changed after the cursor `since`, oldest change first, each once
    /// with its state — deleted ones as tombstones — and a `next` link to ask from; what a harvester needs between
    /// two visits, deletions included (docs/harvesting.md).
    struct ChangeFeed: Encodable {
        struct Item: Encodable {
            var id: String
            var state: String
            var seq: Int64
            var created: String
            var modified: String
            var title: String?
            var municipalityCode: String?
            var standardDataset: String?
            var links: [Link]
        }

        struct Link: Encodable {
            var rel: String
            var type: String
            var href: String
        }

        var changes: [Item]
        /// The cursor after this page (the last item's seq; `since` again when the page is empty).
        var cursor: Int64
        var links: [Link]
    }

    func changeFeed(_ request: Request) throws -> Payload {
        var since: Int64 = 0
        var limit = 100
        for (name, value) in request.uri.queryParameters {
            switch name {
            case "since":
                guard let number = Int64(value), number >= 0 else {
                    throw APIError.badParameter("since: a cursor (a whole number ≥ 0) from an earlier page")
                }
                since = number
            case "limit":
                guard let number = Int(value), (1...1000).contains(number) else { throw APIError.badParameter("limit: 1 to 1000") }
                limit = number
            case "f" where value == "json": continue
            default: throw APIError.badParameter("unknown parameter '\(name)'; use since and limit")
            }
        }
        let base = self.base(request)
        let page = try changes.catalogChanges(since: since, limit: limit)
        let cursor = page.last?.seq ?? since
        let items = page.map { entry in
            let id = FeaturesController.escape(entry.id)
            var links = [
                ChangeFeed.Link(rel: "describedby", type: "application/json", href: base + "/api/3/action/package_show?id=" + id)
            ]
            if !entry.deleted {
                links.append(ChangeFeed.Link(rel: "alternate", type: "application/ld+json", href: base + "/datasets/\(id).jsonld"))
                links.append(ChangeFeed.Link(rel: "collection", type: "application/json", href: base + "/collections/\(id)"))
            }
            return ChangeFeed.Item(
                id: entry.id,
                state: entry.deleted ? "deleted" : "active",
                seq: entry.seq,
                created: entry.created,
                modified: entry.modified,
                title: entry.title,
                municipalityCode: entry.municipalityCode,
                standardDataset: entry.standard,
                links: links
            )
        }
        let feed = ChangeFeed(
            changes: items,
            cursor: cursor,
            links: [
                ChangeFeed.Link(rel: "self", type: "application/json", href: base + "/catalog/changes?since=\(since)&limit=\(limit)"),
                ChangeFeed.Link(rel: "next", type: "application/json", href: base + "/catalog/changes?since=\(cursor)&limit=\(limit)"),
            ]
        )
        return Payload(bytes: try documentJSON(feed), contentType: "application/json")
    }

    /// The catalogue; with `page` (and `limit`, default 100) a page of it as ckanext-dcat's harvester reads one — a
    /// `hydra:PartialCollectionView` with first, previous, next and last pages and the total — and with
    /// `modified_since` only the datasets changed since then (both in the catalogue change feed's order of ids).
    func catalog(_ request: Request) throws -> Payload {
        let base = self.base(request)
        var page: Int?
        var limit = 100
        var since: Date?
        for (name, value) in request.uri.queryParameters {
            switch name {
            case "page":
                guard let number = Int(value), (1...DCATController.maximumPage).contains(number) else {
                    throw APIError.badParameter("page: a page number from 1 to \(DCATController.maximumPage)")
                }
                page = number
            case "limit":
                guard let number = Int(value), (1...1000).contains(number) else { throw APIError.badParameter("limit: 1 to 1000") }
                limit = number
            case "modified_since":
                guard let date = SolrFilter.date(String(value), now: Date()) else {
                    throw APIError.badParameter("modified_since: an ISO 8601 time (2026-12-01T00:00:00Z) or day")
                }
                since = date
            case "f": continue
            default: throw APIError.badParameter("unknown parameter '\(name)'; use page, limit and modified_since")
            }
        }
        var datasets = catalogue.datasets.sorted { $0.id < $1.id }
        if let since {
            datasets = datasets.filter { Store.date(catalogue.entries[$0.id]?.modified ?? $0.loadedAt).map { $0 >= since } ?? true }
        }
        let total = datasets.count
        if let page { datasets = Array(datasets.dropFirst((page - 1) * limit).prefix(limit)) }
        var catalog: [String: Any] = [
            "@context": DCATController.context,
            "@id": base + "/catalog.jsonld",
            "@type": "dcat:Catalog",
            "dct:title": [["@value": "Civic 自治体標準オープンデータセット", "@language": "ja"], ["@value": "Civic municipal open data", "@language": "en"]],
            "dct:description": [["@value": "自治体が公開する標準オープンデータセットを検証・正規化して配信します。", "@language": "ja"]],
            "dct:publisher": [
                "@type": "foaf:Agent", "foaf:name": Set(catalogue.datasets.compactMap(\.municipality)).sorted().joined(separator: "、"),
            ],
            "dcat:service": [
                "@id": base + "/", "@type": "dcat:DataService", "dct:title": "OGC API Features",
                "dct:conformsTo": ["@id": "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"],
                "dcat:endpointURL": ["@id": base + "/"], "dcat:endpointDescription": ["@id": base + "/api"],
            ],
            "dcat:dataset": datasets.map { dataset($0, base: base) },
        ]
        if let page {
            func link(_ number: Int) -> String {
                var query = "?page=\(number)&limit=\(limit)"
                if let since { query += "&modified_since=" + Store.timestamp(since) }
                return base + "/catalog.jsonld" + query
            }
            let last = max(1, (total + limit - 1) / limit)
            var view: [String: Any] = [
                "@id": link(page), "@type": "hydra:PartialCollectionView", "hydra:first": link(1), "hydra:last": link(last),
            ]
            if page > 1 { view["hydra:previous"] = link(min(page - 1, last)) }
            if page < last { view["hydra:next"] = link(page + 1) }
            catalog["hydra:totalItems"] = total
            catalog["hydra:view"] = view
        }
        if let modified = catalogue.datasets.map(\.updated).max() { catalog["dct:modified"] = ["@value": modified, "@type": "xsd:date"] }
        return try jsonPayload(catalog, contentType: "application/ld+json")
    }

    func base(_ request: Request) -> String {
        FeaturesController.baseURL(request, configuration: configuration)
    }

    /// One dataset as a `dcat:Dataset`.
    func dataset(_ dataset: StoredDataset, base: String) -> [String: Any] {
        let path = FeaturesController.escape(dataset.id)
        let license = CKANController.licenses[dataset.license ?? ""]?.url ?? dataset.license ?? ""
        func distribution(_ suffix: String, _ title: String, _ format: String, _ media: String, _ url: String) -> [String: Any] {
            [
                "@id": "\(base)/datasets/\(path)#\(suffix)",
                "@type": "dcat:Distribution",
                "dct:title": title,
                "dcat:accessURL": ["@id": url],
                "dcat:downloadURL": ["@id": url],
                "dcat:mediaType": ["@id": "https://www.iana.org/assignments/media-types/\(media)"],
                "dct:format": ["@id": "http://publications.europa.eu/resource/authority/file-type/\(format)"],
                "dct:license": ["@id": license],
                "dct:modified": ["@value": dataset.updated, "@type": "xsd:date"],
            ]
        }
        var result: [String: Any] = [
            "@id": "\(base)/datasets/\(path)",
            "@type": "dcat:Dataset",
            "dct:identifier": dataset.id,
            "dct:title": ["@value": dataset.title, "@language": "ja"],
            "dct:description": [
                "@value": "\(dataset.standardTitle)（自治体標準オープンデータセット）\(dataset.attribution.map { "。\($0)" } ?? "")", "@language": "ja",
            ],
            "dct:publisher": [
                "@id": "\(base)/organizations/\(dataset.municipalityCode ?? "unknown")",
                "@type": "foaf:Organization",
                "foaf:name": dataset.municipality ?? "",
                "dct:identifier": dataset.municipalityCode ?? "",
            ],
            "dct:license": ["@id": license],
            "dct:modified": ["@value": dataset.updated, "@type": "xsd:date"],
            "dcat:keyword": [dataset.standardTitle, dataset.standard],
            "dct:conformsTo": ["@id": "https://www.digital.go.jp/resources/open_data/municipal-standard-data-set-test#\(dataset.standard)"],
            "dcat:landingPage": ["@id": "\(base)/collections/\(path)"],
            "dcat:distribution": [
                distribution("csv", "CSV (UTF-8)", "CSV", "text/csv", "\(base)/datasets/\(path).csv").merging(
                    catalogue.csvBytes(dataset).map { ["dcat:byteSize": ["@value": $0, "@type": "xsd:nonNegativeInteger"]] } ?? [:],
                    uniquingKeysWith: { _, new in new }
                ),
                distribution("geojson", "GeoJSON", "GEOJSON", "application/geo+json", "\(base)/datasets/\(path).geojson"),
                distribution(
                    "xlsx",
                    "Excel (.xlsx)",
                    "XLSX",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "\(base)/datasets/\(path).xlsx"
                ),
                distribution("report", "検証レポート", "JSON", "application/json", "\(base)/datasets/\(path)/report.json"),
            ],
        ]
        if let frequency = dataset.updateFrequency { result["dct:accrualPeriodicity"] = ["@id": frequency.iri] }
        if let extent = dataset.extent {
            let wkt = String(
                format: "POLYGON((%.7f %.7f,%.7f %.7f,%.7f %.7f,%.7f %.7f,%.7f %.7f))",
                extent.minX,
                extent.minY,
                extent.maxX,
                extent.minY,
                extent.maxX,
                extent.maxY,
                extent.minX,
                extent.maxY,
                extent.minX,
                extent.minY
            )
            result["dct:spatial"] = ["@type": "dct:Location", "dcat:bbox": ["@value": wkt, "@type": "gsp:wktLiteral"]]
        }
        result["dqv:hasQualityMeasurement"] = DCATController.qualityMeasurements(dataset, base: base, downloadable: catalogue.downloadable(dataset))
        return result
    }

    /// The dataset's KPI scores (docs/kpi.md) as W3C DQV quality measurements: its conformance and metadata scores and
    /// each of their parts, each the measurement of a metric described at `/kpi`.
    static func qualityMeasurements(_ dataset: StoredDataset, base: String, downloadable: Bool?) -> [[String: Any]] {
        let path = FeaturesController.escape(dataset.id)
        var measurements: [[String: Any]] = []
        for (name, score) in [("conformance", PortalKPI.conformance(dataset)), ("metadata", PortalKPI.metadata(dataset, downloadable: downloadable))]
        {
            measurements.append([
                "@id": "\(base)/datasets/\(path)#quality-\(name)", "@type": "dqv:QualityMeasurement",
                "dqv:isMeasurementOf": ["@id": "\(base)/kpi#\(name)"], "dqv:computedOn": ["@id": "\(base)/datasets/\(path)"],
                "dqv:value": ["@value": score.points, "@type": "xsd:integer"],
            ])
            for part in score.parts {
                measurements.append([
                    "@id": "\(base)/datasets/\(path)#quality-\(name)-\(part.name)", "@type": "dqv:QualityMeasurement",
                    "dqv:isMeasurementOf": ["@id": "\(base)/kpi#\(name)-\(part.name)"], "dqv:computedOn": ["@id": "\(base)/datasets/\(path)"],
                    "dqv:value": ["@value": part.points, "@type": "xsd:integer"],
                ])
            }
        }
        return measurements
    }
}
