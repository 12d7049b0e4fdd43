import type { Dimension } from '../reference/dimensions';

// The fixed table set of DESIGN section 6. Geography never finer than state or field office, time never
// finer than quarter, at most two dimensions: the site's filters only ever select among these tables.
// The dimensions themselves are reference data (reference/dimensions.ts); they are re-exported here so
// the release engine reads its whole vocabulary from one module.

export { CODE_KINDS, type CodeKind } from '../reference/types';
export {
  UNKNOWN_OFFICE,
  isCodeKind,
  type Dimension,
  type GeoDimension,
  type TimeDimension,
} from '../reference/dimensions';

export interface TableDef {
  readonly name: string;
  readonly dimensions: readonly Dimension[];
}

export const TABLES: readonly TableDef[] = [
  { name: 'national_total', dimensions: [] },
  { name: 'by_state', dimensions: ['state'] },
  { name: 'by_field_office', dimensions: ['field_office'] },
  { name: 'by_year', dimensions: ['year'] },
  { name: 'by_quarter', dimensions: ['quarter'] },
  { name: 'by_action_type', dimensions: ['action_type'] },
  { name: 'by_activism_type', dimensions: ['activism_type'] },
  { name: 'by_target_role', dimensions: ['target_role'] },
  { name: 'by_evidence_type', dimensions: ['evidence_type'] },
  { name: 'state_by_year', dimensions: ['state', 'year'] },
  { name: 'field_office_by_year', dimensions: ['field_office', 'year'] },
  { name: 'state_by_action_type', dimensions: ['state', 'action_type'] },
  { name: 'field_office_by_action_type', dimensions: ['field_office', 'action_type'] },
  { name: 'action_type_by_activism_type', dimensions: ['action_type', 'activism_type'] },
];

/** Finds a table definition by its machine name, failing loudly because names are a public contract. */
export function tableByName(name: string): TableDef {
  const table = TABLES.find((t) => t.name === name);
  if (!table) throw new Error(`unknown release table: ${name}`);
  return table;
}
