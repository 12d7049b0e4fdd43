import type { ReleaseRecord } from '../releases/read';
import { downloadName } from './csv';

// The "How to cite and reuse" section of a release page: the machine-readable addresses and two-line
// snippets for R and pandas. The snippets carry the release's absolute address, so they can be copied
// as they are; a test runs the pandas one against the app.

/** Everything the reuse section shows for one release. */
export function reuseModel(record: ReleaseRecord, origin: string) {
  const path = `/data/releases/${record.label}`;
  const csv = `${origin}${path}/by_state.csv`;
  return {
    dataPackageHref: `${path}/datapackage.json`,
    dataPackageUrl: `${origin}${path}/datapackage.json`,
    zipHref: `${path}/all.zip`,
    zipName: downloadName(record.label, 'all.zip'),
    changesHref: `${path}/changes`,
    feedHref: '/data/releases.atom',
    statesGeojson: '/data/boundaries/states.geojson',
    officesGeojson: '/data/boundaries/field-offices.geojson',
    // An empty count is a withheld cell: read as NA, never as zero. Base R and pandas need nothing more.
    r: [`url <- "${csv}"`, 'by_state <- read.csv(url, fileEncoding = "UTF-8-BOM", na.strings = "")'].join(
      '\n',
    ),
    pandas: [
      'import pandas as pd',
      `by_state = pd.read_csv("${csv}", keep_default_na=False, na_values=[""], dtype={"count": "Int64"})`,
    ].join('\n'),
  };
}
