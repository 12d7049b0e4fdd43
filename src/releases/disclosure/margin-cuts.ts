// The suppression model's first cuts, read off the relations between tables without a solve: in a sum
// whose total is known, a protected part can fall to 0 only if some other part is hidden too (it must take
// up the difference), and can rise to k only if the other hidden parts hold enough to give up. Each is a
// necessary condition (one relation alone, ignoring the rest), so it never cuts off a valid suppression.
import type { Cut } from './auditor';
import type { ReleaseProblem } from './problem';
import { findRelations } from './relations';
import type { Quantity } from './rules';

/** What the model needs to know about one part of a relation. */
interface Part {
  /** Candidate toggle index, or -1 when fixed. */
  readonly toggle: number;
  /** Hidden whatever the model chooses (withheld before, or withheld now anyway). */
  readonly hidden: boolean;
  /** How far the part can fall: its count (or increment) down to 0. */
  readonly room: number;
}

export function marginCuts(problem: ReleaseProblem): Cut[] {
  const { system, k, current } = problem;
  const release = system.releases[current]!;
  const toggleOf = new Map<string, number>();
  problem.candidates.forEach((classIndex, toggle) => {
    for (const cell of problem.classes[classIndex]!.cells) toggleOf.set(cell.id, toggle);
  });
  const own = new Map<string, Quantity[]>();
  for (const q of problem.quantities) {
    if (q.release !== current) continue;
    for (const cell of q.cells) own.set(cell.id, [...(own.get(cell.id) ?? []), q]);
  }
  const relations = findRelations(release.cells, release.space.infos.length);
  const cuts: Cut[] = [];
  for (const relation of relations) {
    for (const child of relation.children) {
      for (const quantity of own.get(child) ?? []) {
        const since = quantity.since;
        const part = (id: string): Part => {
          const cell = release.byId.get(id)!;
          const before = since === null ? undefined : system.releases[since]!.byId.get(id);
          const toggle = toggleOf.get(id) ?? -1;
          const withheldNow = toggle < 0 && problem.withheld(current, cell);
          // An increment is unknown when either release hides the cell; a cell the earlier release could
          // not show was known to be 0 then.
          const withheldThen = since !== null && before !== undefined && problem.withheld(since, before);
          const room = since === null ? cell.count : cell.count - (before?.count ?? 0);
          return { toggle: withheldThen ? -1 : toggle, hidden: withheldNow || withheldThen, room };
        };
        const parent = part(relation.parent);
        const siblings = relation.children.filter((id) => id !== child).map(part);
        cuts.push(...protect(quantity.truth, k, parent, siblings));
      }
    }
  }
  return cuts;
}

/** The two cuts of one protected part: it can fall to 0, and it can rise to k. */
function protect(value: number, k: number, parent: Part, siblings: readonly Part[]): Cut[] {
  if (parent.hidden) return [];
  const cuts: Cut[] = [];
  const open = [parent, ...siblings].filter((p) => !p.hidden && p.toggle >= 0);
  if (!siblings.some((s) => s.hidden) && open.length > 0)
    cuts.push(
      cut(
        open.map((p) => [p.toggle, 1]),
        1,
      ),
    );
  const need =
    k - value - siblings.filter((s) => s.hidden).reduce((sum, s) => sum + Math.min(s.room, k - value), 0);
  if (need > 0 && open.length > 0) {
    cuts.push(
      cut(
        open.map((p) => [p.toggle, p === parent ? need : Math.min(p.room, need)]),
        need,
      ),
    );
  }
  return cuts;
}

function cut(terms: readonly (readonly [number, number])[], rhs: number): Cut {
  const merged = new Map<number, number>();
  for (const [toggle, coef] of terms) merged.set(toggle, Math.min(rhs, (merged.get(toggle) ?? 0) + coef));
  const toggles = [...merged.keys()].sort((a, b) => a - b);
  return {
    toggles: Int32Array.from(toggles),
    coefs: Float64Array.from(toggles, (t) => merged.get(t)!),
    rhs: rhs - 1e-6,
  };
}
