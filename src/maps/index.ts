// The map-rendering core: build the geometry once, then render choropleths and their PNG twins.
export { buildMapGeometry, officeCovering } from './geometry';
export { loadMapGeometry } from './prebuilt';
export { renderChoropleth, type ChoroplethLabels, type ChoroplethOptions } from './choropleth';
export { computeClasses, classIndex, type MapClass } from './classes';
export { svgToPng, svgToPngAsync, type PngOptions } from './png';
export type * from './types';
export { toMapReference } from './reference';
