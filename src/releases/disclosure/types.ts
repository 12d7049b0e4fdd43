// The shapes a release's cells take outside the engine: as `release_cells` stores them and pages show them.

export type CellStatus = 'published' | 'suppressed';

/** One cell as a release shows it. */
export interface ReleaseCell {
  readonly table: string;
  readonly keys: Readonly<Record<string, string>>;
  readonly status: CellStatus;
  /** The count when published, null when withheld. */
  readonly value: number | null;
}
