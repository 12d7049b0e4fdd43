// The fixed page the maps are drawn on, in SVG user units. The albers atlas is pre-projected to 975×610,
// so everything else (inset strip, legend, standalone header and caption) is placed around that frame.

export const MAP_WIDTH = 975;
export const MAP_HEIGHT = 610;

// The strip under the map holding the territory insets (left) and the legend (right).
export const STRIP_TOP = MAP_HEIGHT + 8;
export const STRIP_HEIGHT = 104;
export const INSET_BOX = { width: 92, height: 58, gap: 12, left: 16 } as const;
export const INSET_LABEL_SIZE = 12;

export const LEGEND_LEFT = 600;
export const LEGEND_SWATCH = { width: 68, height: 14 } as const;

/** Height of the map plus the strip, which is the whole drawing in inline mode. */
export const BODY_HEIGHT = STRIP_TOP + STRIP_HEIGHT;

// Standalone files add a title above and the release label and citation below.
export const HEADER_HEIGHT = 52;
export const CAPTION_LINE = 18;

// Where geoAlbersUsa puts the lower 48 for this atlas (us-atlas README).
export const ALBERS_SCALE = 1300;
export const ALBERS_TRANSLATE: [number, number] = [487.5, 305];
