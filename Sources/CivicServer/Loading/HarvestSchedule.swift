import CivicData
import CivicHarvest
import CivicStore
import Foundation
import Logging

/// The harvest job of `civic serve --harvest`: every source of the configuration in turn, at start and then every
/// interval; after a harvest that changed the store (a release, a removal, new metadata) the site's routes are made
/// again, so the catalogue, the CKAN API, the feeds and the KPI show it. Each run's report is kept in the store
/// (`/harvest/runs`). A run killed at any moment leaves the store consistent (the harvester's order of writes).
struct HarvestSchedule: Sendable {
    let configuration: HarvestConfiguration
    let interval: TimeInterval
    /// Seconds replaced versions stay readable for requests that began before a switch, before they are collected.
    let grace: TimeInterval
    let store: Store
    let catalog: SchemaCatalog
    let logger: Logger

    func run(refreshing site: Site) async {
        let harvester = Harvester(store: store, catalog: catalog)
        while !Task.isCancelled {
            var changed = false
            for source in configuration.sources {
                let report = await harvester.harvest(source)
                var metadata: Logger.Metadata = [
                    "source": .string(source.name), "listed": .stringConvertible(report.listed),
                    "seconds": .string(String(format: "%.2f", report.seconds)),
                ]
                for outcome in HarvestReport.Outcome.allCases where report.count(outcome) > 0 {
                    metadata[outcome.rawValue] = .stringConvertible(report.count(outcome))
                }
                if let error = report.gatherError {
                    metadata["reason"] = .string(error)
                    logger.error("harvest: the source's catalogue could not be read; nothing removed", metadata: metadata)
                } else {
                    logger.notice("harvested", metadata: metadata)
                }
                if report.changedCatalogue {
                    changed = true
                    do { try site.refresh() } catch { logger.error("catalogue not refreshed", metadata: ["reason": .string("\(error)")]) }
                }
            }
            // The versions the harvest replaced go once no request that began before can still read them.
            if changed {
                try? await Task.sleep(nanoseconds: UInt64(min(grace, interval) * 1e9))
                _ = try? store.collectGarbage()
            }
            try? await Task.sleep(nanoseconds: UInt64(max(1, interval - (changed ? min(grace, interval) : 0)) * 1e9))
        }
    }
}
