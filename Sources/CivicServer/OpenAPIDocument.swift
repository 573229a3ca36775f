import CivicStore
import Foundation

/// The OpenAPI 3.0 definition served at `/api`: every path with its parameters, so clients (GDAL reads the
/// `limit` maximum; schemathesis fuzzes against it) know the contract.
enum OpenAPIDocument {
    static func make(base: String, catalogue: Catalogue, configuration: ServerConfiguration) -> [String: Any] {
        let jsonResponse: [String: Any] = ["description": "OK", "content": ["application/json": ["schema": ["type": "object"]]]]
        let geoJSONResponse: [String: Any] = [
            "description": "OK",
            "content": [
                "application/geo+json": ["schema": ["type": "object"]],
                "text/csv": ["schema": ["type": "string"]],
                "text/html": ["schema": ["type": "string"]],
            ],
        ]
        // Pages a browser gets as HTML (f=html or Accept: text/html).
        let pageResponse: [String: Any] = [
            "description": "OK",
            "content": ["application/json": ["schema": ["type": "object"]], "text/html": ["schema": ["type": "string"]]],
        ]
        let error: [String: Any] = [
            "description": "What was wrong (an HTML page for browsers)",
            "content": [
                "text/html": ["schema": ["type": "string"]],
                "application/json": [
                    "schema": [
                        "type": "object",
                        "required": ["code", "description"],
                        "properties": ["code": ["type": "string"], "description": ["type": "string"]],
                    ]
                ],
            ],
        ]
        let collectionParameter: [String: Any] = [
            "name": "collection", "in": "path", "required": true,
            "schema": ["type": "string", "enum": catalogue.collections.map(\.id)],
        ]
        let limit: [String: Any] = [
            "name": "limit", "in": "query", "required": false, "style": "form", "explode": false,
            "schema": ["type": "integer", "minimum": 1, "maximum": configuration.maximumLimit, "default": configuration.defaultLimit],
        ]
        let offset: [String: Any] = [
            "name": "offset", "in": "query", "required": false, "schema": ["type": "integer", "minimum": 0, "default": 0],
        ]
        let bbox: [String: Any] = [
            "name": "bbox", "in": "query", "required": false, "style": "form", "explode": false,
            "schema": [
                "oneOf": [
                    ["type": "array", "minItems": 4, "maxItems": 4, "items": ["type": "number"]],
                    ["type": "array", "minItems": 6, "maxItems": 6, "items": ["type": "number"]],
                ]
            ],
        ]
        let crs: [String: Any] = [
            "name": "crs", "in": "query", "required": false, "schema": ["type": "string", "format": "uri", "enum": OutputCRS.offered],
        ]
        let bboxCRS: [String: Any] = [
            "name": "bbox-crs", "in": "query", "required": false, "schema": ["type": "string", "format": "uri", "enum": OutputCRS.offered],
        ]
        let tileMatrixSet: [String: Any] = [
            "name": "tileMatrixSetId", "in": "path", "required": true, "schema": ["type": "string", "enum": [TilesController.matrixSet]],
        ]
        // The state at an instant (from the change log), as the OGC proposal for versioned features reads it.
        let datetime: [String: Any] = ["name": "datetime", "in": "query", "required": false, "schema": ["type": "string", "format": "date-time"]]
        let format: [String: Any] = ["name": "f", "in": "query", "required": false, "schema": ["type": "string", "enum": ["json", "csv", "html"]]]

        let schemaResponse: [String: Any] = ["description": "OK", "content": ["application/schema+json": ["schema": ["type": "object"]]]]
        let apiResponse: [String: Any] = [
            "description": "OK", "content": ["application/vnd.oai.openapi+json;version=3.0": ["schema": ["type": "object"]]],
        ]
        let ckanResponse: [String: Any] = [
            "description": "CKAN envelope: {help, success, result} or {help, success: false, error: {__type, message}}",
            "content": ["application/json": ["schema": ["type": "object", "required": ["success"], "properties": ["success": ["type": "boolean"]]]]],
        ]
        // CKAN actions take their parameters in the query (GET) or as a JSON object (POST, as ckanapi sends them).
        func ckan(_ summary: String, _ parameters: [(String, Bool, [String: Any])]) -> [String: Any] {
            let responses = ["200": ckanResponse, "400": ckanResponse, "404": ckanResponse, "409": ckanResponse]
            var properties: [String: Any] = [:]
            for parameter in parameters { properties[parameter.0] = parameter.2 }
            var body: [String: Any] = ["type": "object", "properties": properties]
            let required = parameters.filter(\.1).map(\.0)
            if !required.isEmpty { body["required"] = required }
            return [
                "get": [
                    "summary": summary,
                    "parameters": parameters.map { ["name": $0.0, "in": "query", "required": $0.1, "schema": $0.2] },
                    "responses": responses,
                ],
                "post": [
                    "summary": summary + " (JSON body)",
                    "requestBody": ["required": false, "content": ["application/json": ["schema": body]]],
                    "responses": responses,
                ],
            ]
        }
        let datasetIDs = catalogue.datasets.map(\.id)
        let datasetParameter: [String: Any] = ["name": "dataset", "in": "path", "required": true, "schema": ["type": "string", "enum": datasetIDs]]
        let writeSecurity: [[String: [String]]] = [["bearer": []], ["ckanAPIKey": []]]
        let releaseNumber: [String: Any] = [
            "name": "number", "in": "path", "required": true, "schema": ["type": "integer", "minimum": 1, "maximum": Int32.max],
        ]
        // Writes go to a municipality's own collection, never a merged one (405).
        let editableCollection: [String: Any] = [
            "name": "collection", "in": "path", "required": true,
            "schema": ["type": "string", "enum": catalogue.collections.filter { !$0.isMerged }.map(\.id)],
        ]
        let featureID: [String: Any] = ["name": "featureId", "in": "path", "required": true, "schema": ["type": "string"]]
        let ifMatch: [String: Any] = [
            "name": "If-Match", "in": "header", "required": false,
            "schema": ["type": "string"], "description": "the record's ETag: 412 when it has changed since",
        ]
        // A Part 4 write: a token of the collection's municipality; the record as a GeoJSON feature.
        func edit(
            _ summary: String,
            _ parameters: [[String: Any]],
            types: [String] = ["application/geo+json", "application/json"],
            body: Bool = true
        )
            -> [String: Any]
        {
            let feature: [String: Any] = [
                "type": "object",
                "properties": [
                    "type": ["type": "string", "enum": ["Feature"]],
                    "properties": [
                        "type": "object",
                        "additionalProperties": ["anyOf": [["type": "string", "nullable": true], ["type": "number"]]],
                    ],
                    "geometry": ["type": "object", "nullable": true],
                ],
            ]
            var operation: [String: Any] = [
                "summary": summary, "security": writeSecurity, "parameters": parameters,
                "responses": [
                    "200": ["description": "The record as written (its new ETag)"], "201": ["description": "Created (Location)"],
                    "202": ["description": "Written into the open draft"], "204": ["description": "Deleted"], "400": error, "401": error,
                    "403": error, "404": error, "405": error, "409": error, "412": error, "413": error, "415": error,
                ],
            ]
            if body {
                operation["requestBody"] = ["required": true, "content": Dictionary(uniqueKeysWithValues: types.map { ($0, ["schema": feature]) })]
            }
            return operation
        }
        func allow(_ parameters: [[String: Any]]) -> [String: Any] {
            [
                "summary": "The methods this caller may use (Allow)", "parameters": parameters,
                "responses": ["200": ["description": "Allow"], "404": error],
            ]
        }
        let municipalityCodes = Set(catalogue.datasets.compactMap(\.municipalityCode)).sorted()
        let resourceIDs = catalogue.datasets.map { $0.id + "-csv" }
        func query(_ name: String, _ schema: [String: Any]) -> [String: Any] { ["name": name, "in": "query", "required": false, "schema": schema] }
        let csvResponse: [String: Any] = ["description": "OK", "content": ["text/csv": ["schema": ["type": "string"]]]]
        let xlsxResponse: [String: Any] = [
            "description": "OK",
            "content": ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ["schema": ["type": "string", "format": "binary"]]],
        ]
        let jsonLDResponse: [String: Any] = ["description": "OK", "content": ["application/ld+json": ["schema": ["type": "object"]]]]
        func get(_ summary: String, _ parameters: [[String: Any]], _ ok: [String: Any], notFound: Bool = false, gone: Bool = false) -> [String: Any] {
            var responses: [String: Any] = ["200": ok, "400": error]
            if notFound { responses["404"] = error }
            // A deleted feature (its versions stay), or a state at a moment whose history is too long to read.
            if gone { responses["410"] = error }
            if parameters.contains(where: { $0["name"] as? String == "datetime" }) { responses["422"] = error }
            return ["get": ["summary": summary, "parameters": parameters, "responses": responses]]
        }
        return [
            "openapi": "3.0.3",
            "info": [
                "title": "Civic — 自治体標準オープンデータセット",
                "version": "1.0.0",
                "description": "OGC API Features over municipal open data",
                "license": ["name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"],
            ],
            "servers": [["url": base]],
            // API tokens (`civic token create`): `Authorization: Bearer <token>`, or as ckanapi sends them.
            "components": [
                "securitySchemes": [
                    "bearer": ["type": "http", "scheme": "bearer", "description": "civic_<id>_<secret> from `civic token create`"],
                    "ckanAPIKey": ["type": "apiKey", "in": "header", "name": "X-CKAN-API-Key"],
                ]
            ],
            "paths": [
                "/datasets/{dataset}/releases": [
                    "get": [
                        "summary": "A dataset's releases, newest first (drafts only to its municipality's tokens)",
                        "parameters": [datasetParameter],
                        "responses": ["200": jsonResponse, "401": error, "404": error],
                    ],
                    "post": [
                        "summary": "Upload a file (the request body: CSV, TSV, .xlsx, .xls or GeoJSON) as a draft release",
                        "security": writeSecurity,
                        "parameters": [
                            datasetParameter, ["name": "note", "in": "query", "required": false, "schema": ["type": "string"]],
                            ["name": "filename", "in": "query", "required": false, "schema": ["type": "string"]],
                        ],
                        "requestBody": [
                            "required": true,
                            "content": [
                                // Bytes: a CSV may be CP932 (Shift_JIS) as cities publish it, not only UTF-8 text.
                                "text/csv": ["schema": ["type": "string", "format": "binary", "minLength": 1]],
                                "application/octet-stream": ["schema": ["type": "string", "format": "binary", "minLength": 1]],
                            ],
                        ],
                        "responses": ["201": jsonResponse, "400": error, "401": error, "403": error, "404": error, "413": error, "422": error],
                    ],
                ],
                "/datasets/{dataset}/releases/{number}": get(
                    "One release, with its diff",
                    [datasetParameter, releaseNumber],
                    jsonResponse,
                    notFound: true
                ),
                "/datasets/{dataset}/releases/{number}/report.json": get(
                    "A release's validation report",
                    [datasetParameter, releaseNumber],
                    jsonResponse,
                    notFound: true
                ),
                "/datasets/{dataset}/releases/{number}/publish": [
                    "post": [
                        "summary": "Publish a draft (a publisher's token); {\"override\": \"reason\"} for a draft with errors",
                        "security": writeSecurity,
                        "parameters": [
                            datasetParameter, releaseNumber,
                        ],
                        "requestBody": [
                            "required": false,
                            "content": ["application/json": ["schema": ["type": "object", "properties": ["override": ["type": "string"]]]]],
                        ],
                        "responses": ["200": jsonResponse, "400": error, "401": error, "403": error, "404": error, "409": error, "422": error],
                    ]
                ],
                "/datasets/{dataset}/rollback": [
                    "post": [
                        "summary": "Publish an earlier release's records again, as a new release (a publisher's token)",
                        "security": writeSecurity,
                        "parameters": [
                            datasetParameter,
                            ["name": "to", "in": "query", "required": true, "schema": ["type": "integer", "minimum": 1, "maximum": Int32.max]],
                            ["name": "note", "in": "query", "required": false, "schema": ["type": "string"]],
                        ],
                        "responses": ["201": jsonResponse, "400": error, "401": error, "403": error, "404": error, "409": error],
                    ]
                ],
                "/admin/log": [
                    "get": [
                        "summary": "The log of writes (the portal admin's token)",
                        "security": [["bearer": []], ["ckanAPIKey": []]],
                        "parameters": [
                            [
                                "name": "limit", "in": "query", "required": false,
                                "schema": ["type": "integer", "minimum": 1, "maximum": 1000, "default": 100],
                            ],
                            ["name": "before", "in": "query", "required": false, "schema": ["type": "integer", "minimum": 1, "maximum": Int64.max]],
                        ],
                        "responses": ["200": jsonResponse, "400": error, "401": error, "403": error],
                    ]
                ],
                "/account": [
                    "get": [
                        "summary": "The token's account and the datasets it may write",
                        "security": writeSecurity,
                        "responses": ["200": jsonResponse, "401": error],
                    ]
                ],
                "/publish": get(
                    "The publishing page for municipal staff (HTML)",
                    [],
                    ["description": "OK", "content": ["text/html": ["schema": ["type": "string"]]]]
                ),
                "/": get("Landing page", [], pageResponse),
                "/conformance": get("Conformance classes", [], jsonResponse),
                "/api": get("This document", [], apiResponse),
                "/collections": get("The collections", [], pageResponse),
                "/collections/{collection}": get("A collection", [collectionParameter], pageResponse, notFound: true),
                "/collections/{collection}/items": get(
                    "Features",
                    [collectionParameter, limit, offset, bbox, bboxCRS, crs, format, datetime],
                    geoJSONResponse,
                    notFound: true
                ).merging(
                    [
                        "post": edit(
                            "Create a record (Part 4): 201 live for a publisher, 202 into the open draft for an editor",
                            [editableCollection]
                        ),
                        "options": allow([collectionParameter]),
                    ],
                    uniquingKeysWith: { first, _ in first }
                ),
                "/collections/{collection}/items/{featureId}": get(
                    "One feature (its ETag is the record's version); with datetime, as it was then (Memento-Datetime); 410 when deleted",
                    [collectionParameter, featureID, crs, datetime],
                    geoJSONResponse,
                    notFound: true,
                    gone: true
                ).merging(
                    [
                        "put": edit("Replace a record, or create it with this id (Part 4)", [editableCollection, featureID, ifMatch]),
                        "patch": edit(
                            "Change a record with a JSON Merge Patch (RFC 7396: null empties a property; the id cannot change)",
                            [editableCollection, featureID, ifMatch],
                            types: ["application/merge-patch+json", "application/geo+json", "application/json"]
                        ),
                        "delete": edit("Delete a record (Part 4)", [editableCollection, featureID, ifMatch], body: false),
                        "options": allow([collectionParameter, featureID]),
                    ],
                    uniquingKeysWith: { first, _ in first }
                ),
                "/collections/{collection}/items/{featureId}/versions": get(
                    "A feature's versions (a time map): each one's time, kind, author and release, with a link to it",
                    [collectionParameter, featureID],
                    jsonResponse,
                    notFound: true
                ),
                "/collections/{collection}/changes": get(
                    "The records created, updated and deleted (tombstones) in order, after the cursor `since`; `next` is the next cursor",
                    [
                        collectionParameter,
                        ["name": "since", "in": "query", "required": false, "schema": ["type": "integer", "minimum": 0, "maximum": Int64.max]],
                        ["name": "limit", "in": "query", "required": false, "schema": ["type": "integer", "minimum": 1, "maximum": 10000]],
                    ],
                    jsonResponse,
                    notFound: true
                ),
                "/tileMatrixSets": get("The tile matrix sets (OGC API Tiles)", [], jsonResponse),
                "/tileMatrixSets/{tileMatrixSetId}": get("A tile matrix set's definition", [tileMatrixSet], jsonResponse, notFound: true),
                "/collections/{collection}/tiles": get("A collection's tilesets (vector tiles)", [collectionParameter], jsonResponse, notFound: true),
                "/collections/{collection}/tiles/{tileMatrixSetId}": get(
                    "A tileset: OGC API Tiles metadata, or TileJSON 3.0.0 with f=tilejson",
                    [
                        collectionParameter, tileMatrixSet,
                        ["name": "f", "in": "query", "required": false, "schema": ["type": "string", "enum": ["json", "tilejson"]]],
                    ],
                    jsonResponse,
                    notFound: true
                ),
                "/collections/{collection}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}": get(
                    "A Mapbox Vector Tile (row = y, column = x); with v (the tileset's version) it is immutable",
                    [
                        collectionParameter, tileMatrixSet,
                        ["name": "tileMatrix", "in": "path", "required": true, "schema": ["type": "integer", "minimum": 0, "maximum": 22]],
                        ["name": "tileRow", "in": "path", "required": true, "schema": ["type": "integer", "minimum": 0]],
                        ["name": "tileCol", "in": "path", "required": true, "schema": ["type": "integer", "minimum": 0]],
                        ["name": "v", "in": "query", "required": false, "schema": ["type": "string"]],
                    ],
                    [
                        "description": "A tile",
                        "content": ["application/vnd.mapbox-vector-tile": ["schema": ["type": "string", "format": "binary"]]],
                    ],
                    notFound: true
                ),
                "/collections/{collection}/queryables": get("Queryable properties", [collectionParameter], schemaResponse, notFound: true),
                "/health": get("Health", [], jsonResponse),
                "/catalog.jsonld": get(
                    "The DCAT-AP catalogue (JSON-LD), whole or Hydra-paged",
                    [
                        query("page", ["type": "integer", "minimum": 1, "maximum": DCATController.maximumPage]),
                        query("limit", ["type": "integer", "minimum": 1, "maximum": 1000]),
                        query("modified_since", ["type": "string", "format": "date-time"]),
                    ],
                    jsonLDResponse
                ),
                "/catalog/changes": get(
                    "The datasets changed since a cursor, deleted ones as tombstones",
                    [
                        query("since", ["type": "integer", "minimum": 0, "maximum": Int64.max]),
                        query("limit", ["type": "integer", "minimum": 1, "maximum": 1000]),
                    ],
                    jsonResponse
                ),
                "/kpi": get("The portal KPI: every municipality's coverage, scores, freshness, activity and use", [], pageResponse),
                "/kpi/{municipalityCode}": get(
                    "One municipality's KPI",
                    [["name": "municipalityCode", "in": "path", "required": true, "schema": ["type": "string", "enum": municipalityCodes]]],
                    pageResponse,
                    notFound: true
                ),
                "/kpi.csv": get("The coverage matrix (municipality × standard dataset) as CSV", [], csvResponse),
                "/kpi.xlsx": get("The coverage matrix as a workbook", [], xlsxResponse),
                "/kpi/datasets.csv": get("Each dataset's scores, freshness and use as CSV", [], csvResponse),
                "/kpi/datasets.xlsx": get("Each dataset's scores, freshness and use as a workbook", [], xlsxResponse),
                "/harvest/runs": get(
                    "The latest harvests' reports",
                    [query("source", ["type": "string"]), query("limit", ["type": "integer", "minimum": 1, "maximum": 500])],
                    jsonResponse
                ),
                "/api/3/action/package_list": ckan("CKAN: dataset names", []),
                "/api/3/action/package_show": ckan("CKAN: one dataset", [("id", true, ["type": "string", "enum": datasetIDs])]),
                "/api/3/action/package_search": ckan(
                    "CKAN: search datasets",
                    [
                        ("q", false, ["type": "string"]), ("fq", false, ["type": "string"]),
                        ("rows", false, ["type": "integer", "minimum": 0, "maximum": 1000]),
                        ("start", false, ["type": "integer", "minimum": 0, "maximum": 1_000_000]),
                        (
                            "sort", false,
                            [
                                "type": "string",
                                "pattern":
                                    "^(name|title_string|metadata_modified|metadata_created|score)( (asc|desc))?(, ?(name|title_string|metadata_modified|metadata_created|score)( (asc|desc))?)*$",
                            ]
                        ),
                    ]
                ),
                "/api/3/action/organization_list": ckan("CKAN: municipalities", [("all_fields", false, ["type": "boolean"])]),
                "/api/3/action/organization_show": ckan("CKAN: one municipality", [("id", true, ["type": "string", "enum": municipalityCodes])]),
                "/api/3/action/resource_show": ckan("CKAN: one resource", [("id", true, ["type": "string", "enum": resourceIDs])]),
                "/api/3/action/datastore_search": ckan(
                    "CKAN: records of a CSV resource",
                    [
                        ("resource_id", true, ["type": "string", "enum": resourceIDs]),
                        ("limit", false, ["type": "integer", "minimum": 0, "maximum": 32000]),
                        ("offset", false, ["type": "integer", "minimum": 0, "maximum": 2_147_483_647]), ("q", false, ["type": "string"]),
                    ]
                ),
            ],
        ]
    }
}
