// Reads the map's path strings back into rings (absolute M/L and relative m/l with implicit repeats, Z),
// so tests can ask whether a point lies inside a drawn shape (even-odd rule, as the renderer fills them).

type Ring = [number, number][];

const TOKEN = /[MmLlZz]|-?(?:\d+\.?\d*|\.\d+)/g;

/** Splits a path string into closed rings of absolute points. */
export function ringsOf(d: string): Ring[] {
  const rings: Ring[] = [];
  const tokens = d.match(TOKEN) ?? [];
  let command = 'M';
  let x = 0;
  let y = 0;
  let ring: Ring | undefined;
  for (let i = 0; i < tokens.length;) {
    const token = tokens[i]!;
    if (/[A-Za-z]/.test(token)) {
      command = token;
      i += 1;
      if (command === 'Z' || command === 'z') ring = undefined;
      continue;
    }
    const a = Number(tokens[i]);
    const b = Number(tokens[i + 1]);
    i += 2;
    const relative = command === 'm' || command === 'l';
    x = relative ? x + a : a;
    y = relative ? y + b : b;
    if (command === 'M' || command === 'm' || !ring) {
      ring = [];
      rings.push(ring);
      // Pairs after a moveto are implicit linetos of the same kind.
      command = command === 'm' ? 'l' : command === 'M' ? 'L' : command;
    }
    ring.push([x, y]);
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
