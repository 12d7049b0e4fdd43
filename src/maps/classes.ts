// Classed colours for the choropleth. A handful of classes with round break points reads better than a
// continuous scale and survives printing: the blues step evenly in lightness (CIE L* 88, 72, 56, 40, 24),
// so the order holds in greyscale and for every common form of colour blindness.

/** One colour class: values from `min` (inclusive) up to the next class's `min`. */
export interface MapClass {
  min: number;
  color: string;
}

// Each palette is the 5-class ramp sampled evenly in L*, so fewer classes still span light to dark.
const PALETTES: Record<number, readonly string[]> = {
  1: ['#3e8dc3'],
  2: ['#ccdff1', '#083776'],
  3: ['#ccdff1', '#3e8dc3', '#083776'],
  4: ['#ccdff1', '#65aad4', '#206eb3', '#083776'],
  5: ['#ccdff1', '#7eb8da', '#3e8dc3', '#1660a7', '#083776'],
};

export const MAX_CLASSES = 5;

// Mantissas a break may be rounded down to, so legends read 10, 25, 50 rather than 13, 27, 58.
const NICE = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5] as const;

/** Rounds a positive number down to the nearest "nice" value. */
export function niceFloor(n: number): number {
  if (!(n > 0)) return 0;
  // Counts are whole numbers, so below ten every whole number is already round.
  if (n < 10) return Math.floor(n);
  const magnitude = 10 ** Math.floor(Math.log10(n));
  let best = magnitude;
  for (const m of NICE) if (m * magnitude <= n) best = m * magnitude;
  return best;
}

/** Picks up to five classes from the published values: quantile breaks rounded to nice numbers. */
export function computeClasses(values: Iterable<number>, maxClasses = MAX_CLASSES): MapClass[] {
  const sorted = [...values].filter(Number.isFinite).sort((a, b) => a - b);
  const low = sorted[0];
  if (low === undefined) return [];
  const n = Math.min(Math.max(1, maxClasses), MAX_CLASSES);
  const mins = [low];
  for (let i = 1; i < n; i++) {
    const q = sorted[Math.floor((i / n) * sorted.length)] ?? low;
    const b = niceFloor(q);
    const last = mins[mins.length - 1] ?? low;
    if (b > last) mins.push(b);
  }
  const palette = PALETTES[mins.length] ?? PALETTES[MAX_CLASSES] ?? [];
  return mins.map((min, i) => ({ min, color: palette[i] ?? '#083776' }));
}

/** The index of the class a value falls in, or -1 below the first class; monotone in the value. */
export function classIndex(value: number, classes: readonly MapClass[]): number {
  let index = -1;
  for (let i = 0; i < classes.length; i++) if (value >= (classes[i]?.min ?? Infinity)) index = i;
  return index;
}
