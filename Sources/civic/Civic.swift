import ArgumentParser

@main
struct Civic: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "civic",
        abstract: "自治体標準オープンデータセットの検証・正規化・変換 — validate, normalise and convert Japanese municipal open data.",
        discussion: """
            Reads the CSV files municipalities publish (UTF-8 or Shift_JIS/CP932, the 2019 推奨データセット or the
            current 自治体標準オープンデータセット layout), recognises which standard dataset each one is, checks every
            cell, fixes what is unambiguous and writes standard CSV or GeoJSON with a report.

            自治体が公開するCSV（UTF-8 / Shift_JIS、旧推奨データセット・現行の自治体標準オープンデータセット）を読み、
            どの標準データセットかを判定し、セルごとに検証し、曖昧さのない誤りだけを直して、標準CSVまたはGeoJSONと
            レポートを出力します。

            Exit status 終了コード: 0 valid 適合, 1 invalid 不適合 (errors found), 2 could not read 読めない.
            """,
        subcommands: [
            Validate.self, Normalize.self, Convert.self, Join.self, GeometryCheck.self, Load.self, Serve.self, Datasets.self, Token.self, Tiles.self,
            Harvest.self,
        ]
    )
}
