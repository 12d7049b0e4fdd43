import { createRandom } from '../seeds/demo';
import type { Reference } from '../src/reference/types';

// A synthetic import file of public cases for the benchmarks: `count` lines over every state with an
// office, every action type and ten years, one source each, deterministic for a seed.

const HEADER =
  'month,state,field_office,action_types,activism_types,target_role,summary_en,summary_es,source_url,source_title,source_published,source_kind';
const KINDS = ['news', 'court_record', 'foia', 'published_report', 'other'];

/** The file's bytes. */
export function syntheticCaseFile(reference: Reference, count: number, seed = 11): Buffer {
  const random = createRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const states = reference.states.filter((s) => reference.areas.some((a) => a.state === s.usps));
  const codes = (kind: string) => reference.codes.filter((c) => c.kind === kind).map((c) => c.code);
  const lines = Array.from({ length: count }, (_, i) => {
    const year = 2016 + Math.floor(random() * 10);
    const month = `${year}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}`;
    return [
      month,
      pick(states).usps,
      '',
      `${pick(codes('action_type'))};${pick(codes('action_type'))}`,
      pick(codes('activism_type')),
      pick(codes('target_role')),
      `"Synthetic example ${i}: an organizer was followed after speaking at a rally, then visited at home."`,
      `"Ejemplo sintético ${i}: una organizadora fue seguida después de hablar en un mitin."`,
      `https://example.org/bench/${seed}/${i}`,
      `"Example Daily: story ${i}"`,
      `${month}-15`,
      pick(KINDS),
    ].join(',');
  });
  return Buffer.from([HEADER, ...lines].join('\n') + '\n', 'utf8');
}
