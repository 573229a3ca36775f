public import Foundation
import GRDB

/// One dataset's place in the catalogue's change feed: when it was created and last changed, and whether it is still
/// there (`deleted`: a tombstone, kept so that harvesters learn of the deletion).
public struct CatalogEntry: Sendable, Equatable {
    public var id: String
    /// Its position in the feed: every change of the dataset moves it to the end (a larger number than any before).
    public var seq: Int64
    public var deleted: Bool
    /// When it was created (again, after a deletion); when it last changed (records, metadata, release, deletion).
    public var created: String
    public var modified: String
    public var title: String?
    public var municipalityCode: String?
    public var standard: String?
}

/// A month of a municipality's activity: releases published (a file loaded, an upload published, a rollback) and
/// records edited in place.
public struct CatalogActivity: Sendable, Equatable, Codable {
    /// YYYY-MM.
    public var month: String
    public var municipalityCode: String?
    public var releases: Int
    public var edits: Int

    public init(month: String, municipalityCode: String?, releases: Int, edits: Int) {
        self.month = month
        self.municipalityCode = municipalityCode
        self.releases = releases
        self.edits = edits
    }
}

/// The catalogue's changes, dataset by dataset: what a harvester asks for since its last visit.
public protocol CatalogChangeStore: Sendable {
    /// The datasets changed after `since` (a `seq`), oldest change first, at most `limit`; deleted ones as tombstones.
    func catalogChanges(since: Int64, limit: Int) throws -> [CatalogEntry]
    /// Every dataset the catalogue has or had, by ID.
    func catalogEntries() throws -> [String: CatalogEntry]
    /// Releases and record edits by month and municipality, from the release table and the change log (datasets of
    /// the standard `excluding` left out: the shelter status tables, whose every status update is an edit).
    func catalogActivity(excluding standard: String) throws -> [CatalogActivity]
}

/// Migration v11 keeps `catalog_state` — one row a dataset, deleted ones included — with SQLite triggers on the
/// tables every write goes through (a dataset made live, switched to another version or removed; its live version's
/// metadata changed or its records edited), so that no write path can forget it and it commits or rolls back with the
/// write.
extension Store: CatalogChangeStore {
    static let now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
    static let nextCatalogSeq = "(SELECT COALESCE(MAX(seq), 0) + 1 FROM catalog_state)"

    static func migrateCatalogState(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE catalog_state (
                    dataset_id TEXT PRIMARY KEY NOT NULL,
                    seq INTEGER NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('active', 'deleted')),
                    created TEXT NOT NULL,
                    modified TEXT NOT NULL,
                    title TEXT,
                    municipality_code TEXT,
                    standard TEXT
                );
                CREATE UNIQUE INDEX catalog_state_by_seq ON catalog_state(seq);

                -- The datasets there now: created when first released (or loaded), modified when last loaded or edited.
                INSERT INTO catalog_state (dataset_id, seq, state, created, modified, title, municipality_code, standard)
                SELECT d.id, ROW_NUMBER() OVER (ORDER BY v.loaded_at, d.id), 'active',
                       COALESCE((SELECT MIN(r.created) FROM release r WHERE r.dataset_id = d.id), v.loaded_at), v.loaded_at,
                       v.title, v.municipality_code, v.standard
                FROM dataset d JOIN version v ON v.key = d.live_version;

                CREATE TRIGGER catalog_dataset_live AFTER INSERT ON dataset BEGIN
                    INSERT INTO catalog_state (dataset_id, seq, state, created, modified, title, municipality_code, standard)
                    SELECT NEW.id, \(nextCatalogSeq), 'active', \(now), \(now), v.title, v.municipality_code, v.standard
                    FROM version v WHERE v.key = NEW.live_version
                    ON CONFLICT(dataset_id) DO UPDATE SET
                        seq = excluded.seq, state = 'active', modified = excluded.modified, title = excluded.title,
                        municipality_code = excluded.municipality_code, standard = excluded.standard,
                        created = CASE WHEN catalog_state.state = 'deleted' THEN excluded.created ELSE catalog_state.created END;
                END;
                CREATE TRIGGER catalog_dataset_switched AFTER UPDATE OF live_version ON dataset BEGIN
                    UPDATE catalog_state SET seq = \(nextCatalogSeq), state = 'active', modified = \(now),
                        title = (SELECT title FROM version WHERE key = NEW.live_version),
                        municipality_code = (SELECT municipality_code FROM version WHERE key = NEW.live_version),
                        standard = (SELECT standard FROM version WHERE key = NEW.live_version)
                    WHERE dataset_id = NEW.id;
                END;
                CREATE TRIGGER catalog_dataset_removed AFTER DELETE ON dataset BEGIN
                    UPDATE catalog_state SET seq = \(nextCatalogSeq), state = 'deleted', modified = \(now) WHERE dataset_id = OLD.id;
                END;
                -- The live version's metadata changed, or it was edited in place (an edit sets its loaded_at).
                CREATE TRIGGER catalog_version_changed
                AFTER UPDATE OF title, license, license_note, attribution, source, loaded_at ON version
                WHEN NEW.state = 'live' AND OLD.state = 'live' BEGIN
                    UPDATE catalog_state SET seq = \(nextCatalogSeq), modified = \(now),
                        title = NEW.title, municipality_code = NEW.municipality_code, standard = NEW.standard
                    WHERE dataset_id = NEW.dataset_id AND state = 'active'
                      AND EXISTS (SELECT 1 FROM dataset WHERE id = NEW.dataset_id AND live_version = NEW.key);
                END;
                """
        )
    }

    public func catalogChanges(since: Int64, limit: Int) throws -> [CatalogEntry] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM catalog_state WHERE seq > ? ORDER BY seq LIMIT ?",
                arguments: [since, max(0, limit)]
            ).map(Store.catalogEntry)
        }
    }

    public func catalogEntries() throws -> [String: CatalogEntry] {
        try read { db in
            Dictionary(
                uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT * FROM catalog_state").map {
                    (($0["dataset_id"] as String), Store.catalogEntry($0))
                }
            )
        }
    }

    static func catalogEntry(_ row: Row) -> CatalogEntry {
        CatalogEntry(
            id: row["dataset_id"],
            seq: row["seq"],
            deleted: (row["state"] as String) == "deleted",
            created: row["created"],
            modified: row["modified"],
            title: row["title"],
            municipalityCode: row["municipality_code"],
            standard: row["standard"]
        )
    }

    public func catalogActivity(excluding standard: String) throws -> [CatalogActivity] {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT month, code, SUM(releases), SUM(edits) FROM (
                        SELECT substr(r.published, 1, 7) AS month, s.municipality_code AS code, COUNT(*) AS releases, 0 AS edits
                        FROM release r JOIN catalog_state s ON s.dataset_id = r.dataset_id
                        WHERE r.published IS NOT NULL AND s.standard IS NOT ?
                        GROUP BY 1, 2
                        UNION ALL
                        SELECT substr(c.at, 1, 7), s.municipality_code, 0, COUNT(*)
                        FROM change c INDEXED BY change_edits_by_time JOIN catalog_state s ON s.dataset_id = c.dataset_id
                        WHERE c.inplace = 1 AND s.standard IS NOT ?
                        GROUP BY 1, 2
                    ) GROUP BY 1, 2 ORDER BY 1, 2
                    """,
                arguments: [standard, standard]
            )
            return rows.map { CatalogActivity(month: $0[0], municipalityCode: $0[1], releases: $0[2], edits: $0[3]) }
        }
    }

    /// v13: the KPI's columns and indexes (see `Store.migrator`).
    static func migrateKPI(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE version ADD COLUMN quality TEXT;
                ALTER TABLE version ADD COLUMN update_frequency TEXT;
                CREATE INDEX change_edits_by_time ON change(at) WHERE inplace = 1;
                CREATE TABLE usage_daily (
                    day TEXT NOT NULL,
                    dataset_id TEXT NOT NULL,
                    downloads INTEGER NOT NULL DEFAULT 0,
                    api_requests INTEGER NOT NULL DEFAULT 0,
                    not_modified INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (day, dataset_id)
                ) WITHOUT ROWID;
                """
        )
    }
}
