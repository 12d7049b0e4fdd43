// Reference data: fixed between releases of the code, loaded once at start-up.

export const CODE_KINDS = ['action_type', 'activism_type', 'evidence_type', 'target_role'] as const;
export type CodeKind = (typeof CODE_KINDS)[number];

// Names and labels in other languages than English live in the catalogs (locales/<lang>.json, keys
// reference.*), so a language is one file: see names.ts. The English ones here are the database's.

export interface State {
  usps: string;
  nameEn: string;
  fips: string;
  type: 'state' | 'district' | 'territory';
}

export interface FieldOffice {
  code: string;
  name: string;
  city: string;
  state: string;
  lat: number;
  lon: number;
  /** Every state or territory the office covers, wholly or in part. */
  states: string[];
}

export interface OfficeArea {
  office: string;
  state: string;
  /** False where the state is split between offices by county (TX, CA, NY). */
  wholeState: boolean;
}

export interface SplitCounty {
  countyFips: string;
  countyName: string;
  state: string;
  office: string;
}

export interface Code {
  kind: CodeKind;
  code: string;
  position: number;
  labelEn: string;
  definitionEn: string;
}

export interface Reference {
  states: State[];
  offices: FieldOffice[];
  areas: OfficeArea[];
  splitCounties: SplitCounty[];
  codes: Code[];
}
