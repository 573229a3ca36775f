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
            ],
        ]
        let error: [String: Any] = [
            "description": "What was wrong",
            "content": [
                "application/json": [
                    "schema": [
                        "type": "object",
                        "required": ["code", "description"],
                        "properties": ["code": ["type": "string"], "description": ["type": "string"]],
                    ]
                ]
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
            "schema": ["type": "array", "minItems": 4, "maxItems": 6, "items": ["type": "number"]],
        ]
        let format: [String: Any] = ["name": "f", "in": "query", "required": false, "schema": ["type": "string", "enum": ["json", "csv"]]]
        func get(_ summary: String, _ parameters: [[String: Any]], _ ok: [String: Any], notFound: Bool = false) -> [String: Any] {
            var responses: [String: Any] = ["200": ok, "400": error]
            if notFound { responses["404"] = error }
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
            "paths": [
                "/": get("Landing page", [], jsonResponse),
                "/conformance": get("Conformance classes", [], jsonResponse),
                "/api": get("This document", [], jsonResponse),
                "/collections": get("The collections", [], jsonResponse),
                "/collections/{collection}": get("A collection", [collectionParameter], jsonResponse, notFound: true),
                "/collections/{collection}/items": get(
                    "Features",
                    [collectionParameter, limit, offset, bbox, format],
                    geoJSONResponse,
                    notFound: true
                ),
                "/collections/{collection}/items/{featureId}": get(
                    "One feature",
                    [collectionParameter, ["name": "featureId", "in": "path", "required": true, "schema": ["type": "string"]]],
                    geoJSONResponse,
                    notFound: true
                ),
                "/collections/{collection}/queryables": get("Queryable properties", [collectionParameter], jsonResponse, notFound: true),
                "/health": get("Health", [], jsonResponse),
            ],
        ]
    }
}
