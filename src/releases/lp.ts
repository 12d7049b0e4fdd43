// A thin, reusable wrapper over HiGHS (WebAssembly): one solver load per process, one model per family
// kept alive across objectives so re-solves start from the previous basis.
import loadHighs, { type Highs } from 'highs';

let highsPromise: Promise<Highs> | null = null;

/** Loads HiGHS once per process; the Wasm module takes far longer to instantiate than a small LP takes to solve. */
export function getHighs(): Promise<Highs> {
  highsPromise ??= loadHighs();
  return highsPromise;
}

export interface LpRow {
  readonly vars: Int32Array;
  readonly coefs: Float64Array;
  readonly lower: number;
  readonly upper: number;
}

export interface LpSpec {
  readonly colLower: Float64Array;
  readonly colUpper: Float64Array;
  readonly rows: readonly LpRow[];
}

export type LpOutcome =
  | {
      readonly status: 'optimal';
      readonly objective: number;
      readonly values: Float64Array;
      readonly rowDual: Float64Array;
    }
  | { readonly status: 'unbounded' }
  | { readonly status: 'infeasible' };

export interface Lp {
  /** Minimizes `cost · x`; the model and its basis persist between calls. */
  minimize(cost: Float64Array): LpOutcome;
  readonly solves: number;
  /** Simplex iterations over all solves: a measure of work that does not depend on the machine's load. */
  readonly iterations: number;
  dispose(): void;
}

/** Builds a persistent HiGHS model from sparse rows, with infinities translated to the solver's own. */
export function createLp(highs: Highs, spec: LpSpec): Lp {
  const numCols = spec.colLower.length;
  const inf = highs.infinity;
  const clamp = (x: number): number => (x === Infinity ? inf : x === -Infinity ? -inf : x);
  let nnz = 0;
  for (const r of spec.rows) nnz += r.vars.length;
  const starts = new Int32Array(spec.rows.length + 1);
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let at = 0;
  spec.rows.forEach((r, i) => {
    indices.set(r.vars, at);
    values.set(r.coefs, at);
    at += r.vars.length;
    starts[i + 1] = at;
  });
  const model = highs.createModel({
    numCols,
    numRows: spec.rows.length,
    colCost: new Float64Array(numCols),
    colLower: spec.colLower.map(clamp),
    colUpper: spec.colUpper.map(clamp),
    rowLower: Float64Array.from(spec.rows, (r) => clamp(r.lower)),
    rowUpper: Float64Array.from(spec.rows, (r) => clamp(r.upper)),
    matrix: { format: 'csr', numRows: spec.rows.length, numCols, starts, indices, values },
  });
  // Solves only change the objective, so the last basis stays primal feasible and primal simplex restarts
  // from it: measured 10-50x faster per re-solve than HiGHS's default dual simplex on the demo's families.
  model.options.set({ output_flag: false, presolve: 'on', simplex_strategy: 4 });
  const status = highs.constants.modelStatus;
  let solves = 0;
  let iterations = 0;
  return {
    minimize(cost) {
      solves++;
      model.changeColsCost({ kind: 'range', from: 0, to: numCols - 1 }, cost);
      model.run();
      iterations += Number(model.info.get('simplex_iteration_count'));
      const s = model.getModelStatus();
      if (s === status.optimal) {
        const solution = model.getSolution();
        return {
          status: 'optimal',
          objective: model.getObjectiveValue(),
          values: solution.colValue,
          rowDual: solution.rowDual,
        };
      }
      if (s === status.unbounded) return { status: 'unbounded' };
      if (s === status.infeasible) return { status: 'infeasible' };
      if (s === status.unboundedOrInfeasible) {
        // Presolve could not tell which; without it the simplex method can.
        model.options.set({ presolve: 'off' });
        model.run();
        const again = model.getModelStatus();
        if (again === status.unbounded) return { status: 'unbounded' };
        if (again === status.infeasible) return { status: 'infeasible' };
      }
      throw new Error(`LP solve ended with HiGHS status ${s}`);
    },
    get solves() {
      return solves;
    },
    get iterations() {
      return iterations;
    },
    dispose: () => model.dispose(),
  };
}
