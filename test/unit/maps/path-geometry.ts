// Reads the M/L/Z path strings d3-geo writes back into rings, so tests can ask whether a point lies
// inside a drawn shape (even-odd rule, as the renderer fills them).

type Ring = [number, number][];

/** Splits a d3-geo path string into closed rings of points. */
export function ringsOf(d: string): Ring[] {
  const rings: Ring[] = [];
  for (const part of d.split('M').filter(Boolean)) {
    const ring: Ring = part
      .replace(/Z/g, '')
      .split('L')
      .filter(Boolean)
      .map((pair) => pair.split(',').map(Number) as [number, number]);
    rings.push(ring);
  }
  return rings;
}

/** True when (x, y) falls inside the path under the even-odd rule. */
export function pathContains(d: string, x: number, y: number): boolean {
  let inside = false;
  for (const ring of ringsOf(d)) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!;
      const [xj, yj] = ring[j]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/** True when the point, or any point within `r` units of it, lies inside the path: coastal cities sit on simplified shorelines. */
export function pathNear(d: string, x: number, y: number, r: number): boolean {
  for (let dx = -r; dx <= r; dx += 1)
    for (let dy = -r; dy <= r; dy += 1) if (pathContains(d, x + dx, y + dy)) return true;
  return false;
}
