import { geoPath, type GeoContext, type GeoPermissibleObjects, type GeoProjection } from 'd3-geo';

// Path data for the maps, written as small as SVG allows. The map is inline in the home and map pages,
// so its bytes are most of what those pages weigh: d3's absolute coordinates to a tenth of a unit made
// the states alone 56 KB (20 KB gzipped). Here every point is snapped to a half-unit grid and written
// relative to the one before, so most numbers are one or two characters: 28 KB (9 KB gzipped), with
// edges that still look smooth at five times the map's size.
//
// Shared borders stay exact: points are snapped absolutely before the difference is taken, so two
// shapes that share an arc put it on the same grid points, and rounding never accumulates along a ring.

/** The grid, in map units (the albers atlas is 975 units wide): half a pixel at the map's own size. */
const GRID = 0.5;

/** A d3-geo path context that writes compact relative SVG path data. */
class CompactPathContext implements GeoContext {
  private parts: string[] = [];
  // Current point and whether the last command was the moveto, all in grid steps.
  private x = 0;
  private y = 0;
  private afterMove = false;

  moveTo(x: number, y: number): void {
    this.x = snap(x);
    this.y = snap(y);
    this.parts.push(`M${pair(this.x, this.y)}`);
    this.afterMove = true;
  }

  lineTo(x: number, y: number): void {
    const nextX = snap(x);
    const nextY = snap(y);
    const dx = nextX - this.x;
    const dy = nextY - this.y;
    // A point that lands on the one before adds nothing to the drawing.
    if (dx === 0 && dy === 0) return;
    const text = pair(dx, dy);
    // After the first lineto, further pairs continue it implicitly; a minus sign separates by itself.
    this.parts.push(this.afterMove ? `l${text}` : text.startsWith('-') ? text : ` ${text}`);
    this.afterMove = false;
    this.x = nextX;
    this.y = nextY;
  }

  // Part of the canvas-shaped interface d3 accepts; a string needs nothing at the start of a path.
  beginPath(): void {}

  closePath(): void {
    this.parts.push('z');
  }

  // Point geometries would be drawn as circles; the maps draw their markers themselves.
  arc(): void {
    throw new Error('compact paths hold areas and lines, not points');
  }

  take(): string {
    const text = this.parts.join('');
    this.parts = [];
    return text;
  }
}

function snap(value: number): number {
  return Math.round(value / GRID);
}

// Grid steps to map units: "1.5", ".5", "-.5", "12".
function number(steps: number): string {
  return String(steps * GRID).replace(/^(-?)0\./, '$1.');
}

function pair(a: number, b: number): string {
  const second = number(b);
  return number(a) + (second.startsWith('-') ? '' : ' ') + second;
}

/** A function from a GeoJSON object to compact path data, through a projection or none (pre-projected). */
export function compactPath(
  projection: GeoProjection | null = null,
): (object: GeoPermissibleObjects) => string {
  const context = new CompactPathContext();
  const path = geoPath(projection, context);
  return (object) => {
    path(object);
    return context.take();
  };
}
