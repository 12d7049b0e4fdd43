import Handlebars from 'handlebars';
import type { Lang } from '../platform/i18n';
import type { Reference } from '../reference/types';
import type { ReleaseData } from './catalog';
import { renderSelectionMap } from './change-map';
import type { Labeler } from '../reference/labeler';
import { toMapReference } from '../maps/reference';
import type { MapSelection } from './map-view';
import { loadMapGeometry, type MapGeometry } from '../maps';
import { renderShapeSprite, type ShapeSprite } from '../maps/sprite';

// The public site's maps as SVG: inline in a page (the home page, the map page) or standalone for the
// map files. The geometry and the shape sprite are read on first use, then shared by every render.

/** Draws a release's maps over the reference's geometry, in any language. */
export function createMapDrawing(reference: Reference, labeler: Labeler) {
  let geometry: MapGeometry | undefined;
  // Read on first use, then shared by every render: prebuilt, unless the reference data changed since.
  const getGeometry = (): MapGeometry => (geometry ??= loadMapGeometry(toMapReference(reference)).geometry);
  let sprite: ShapeSprite | undefined;
  const getSprite = (): ShapeSprite => (sprite ??= renderShapeSprite(getGeometry()));

  return {
    /** The shape sprite the inline maps draw from. */
    sprite: getSprite,

    // A map inside a page: its shapes come from the sprite's fingerprinted address (not localized: the
    // shapes have no words), everything else is written in.
    inline: (
      data: ReleaseData,
      selection: MapSelection,
      lang: Lang,
      idPrefix?: string,
      previous?: ReleaseData,
    ): Handlebars.SafeString =>
      new Handlebars.SafeString(
        renderSelectionMap(
          {
            geometry: getGeometry(),
            data,
            selection,
            labeler,
            lang,
            standalone: false,
            shapesHref: `/map/shapes.svg?v=${getSprite().version}`,
            ...(idPrefix ? { idPrefix } : {}),
          },
          previous,
        ),
      ),

    /** A map file: every shape written in, with a caption (the citation) for use on its own. */
    standalone: (
      data: ReleaseData,
      selection: MapSelection,
      lang: Lang,
      caption: string[],
      previous?: ReleaseData,
    ): string =>
      renderSelectionMap(
        { geometry: getGeometry(), data, selection, labeler, lang, standalone: true, caption },
        previous,
      ),
  };
}

export type MapDrawing = ReturnType<typeof createMapDrawing>;
