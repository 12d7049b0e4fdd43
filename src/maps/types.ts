// The shapes the map core takes in and hands out. Inputs are structural, so the reference capability's
// own types can be passed as they are; outputs are plain data built once and reused by every render.

/** A state, DC or territory as the reference tables describe it. */
export interface StateRef {
  usps: string;
  name: string;
  fips: string;
  type: 'state' | 'district' | 'territory';
}

/** An ICE field office; `states` lists the states and territories in its area of responsibility. */
export interface FieldOfficeRef {
  code: string;
  name: string;
  city: string;
  lat: number;
  lon: number;
  states: readonly string[];
}

/** One county of a state split between offices (TX, CA, NY), by five-digit county FIPS. */
export interface SplitCountyRef {
  countyFips: string;
  officeCode: string;
}

/** Everything the map geometry depends on; it changes only with the reference data. */
export interface MapReference {
  states: readonly StateRef[];
  fieldOffices: readonly FieldOfficeRef[];
  splitCounties: readonly SplitCountyRef[];
}

export type MapView = 'state' | 'field_office';

/** A filled area with its SVG path, keyed by USPS code (states) or office code (field offices). */
export interface AreaShape {
  key: string;
  name: string;
  d: string;
}

/** A territory drawn in the inset strip, with the frame it sits in and the office that covers it. */
export interface InsetShape extends AreaShape {
  officeKey: string | null;
  box: { x: number; y: number; width: number; height: number };
}

/** A field office's point on the map. */
export interface OfficeMarker {
  key: string;
  name: string;
  city: string;
  x: number;
  y: number;
}

/** Precomputed path strings for both views: built once by buildMapGeometry, or prebuilt (prebuilt.ts). */
export interface MapGeometry {
  states: readonly AreaShape[];
  offices: readonly AreaShape[];
  officeMarkers: readonly OfficeMarker[];
  insets: readonly InsetShape[];
  /** Borders between states, drawn faintly over the field-office view so readers can orient. */
  stateBorders: string;
  /** The outline of the 50 states and DC. */
  nationOutline: string;
}
