import CivicHarvest
import CivicStore
import Foundation
import Hummingbird

/// `GET /harvest/runs?source=&limit=`: the reports of the latest harvests (`civic serve --harvest`, `civic harvest`),
/// newest first — per source: new, changed, unchanged, failed with why, missing, deleted. Public, as the catalogue is:
/// the sources' URLs and the reasons are what a portal's member cities need to see.
struct HarvestController: Sendable {
    let store: Store
    let delivery: Delivery

    struct Runs: Encodable {
        struct Run: Encodable {
            var id: Int64
            var source: String
            var started: String
            var finished: String
            var report: HarvestReport
        }

        var runs: [Run]
    }

    static let defaultLimit = 20
    static let maximumLimit = 500

    func addRoutes(to router: Router<CivicRequestContext>) {
        // Runs are written without a catalogue refresh (an unchanged harvest): read at each request, not cached.
        router.get("/harvest/runs") { request, _ in try self.delivery.respond(request, cacheable: false) { try self.runs(request) } }
    }

    func runs(_ request: Request) throws -> Payload {
        let query = request.uri.queryParameters
        var limit = HarvestController.defaultLimit
        if let text = query["limit"].map(String.init) {
            guard let value = Int(text), (1...HarvestController.maximumLimit).contains(value) else {
                throw APIError.badParameter("limit must be a whole number from 1 to \(HarvestController.maximumLimit)")
            }
            limit = value
        }
        let source = query["source"].map { $0.percentDecoded }
        let decoder = JSONDecoder()
        let runs = try store.harvestRuns(source: source, limit: limit).compactMap { run -> Runs.Run? in
            guard let report = try? decoder.decode(HarvestReport.self, from: Data(run.report.utf8)) else { return nil }
            return Runs.Run(id: run.id, source: run.source, started: run.started, finished: run.finished, report: report)
        }
        return Payload(bytes: try documentJSON(Runs(runs: runs)), contentType: "application/json")
    }
}
