// A thin wrapper over HiGHS (WebAssembly): one solver load per process, one persistent model per audit whose
// objective and row bounds change between solves, so each re-solve starts from the previous basis.
import loadHighs, { type Highs } from 'highs';

let highsPromise: Promise<Highs> | null = null;

/** Loads HiGHS once per process: instantiating the Wasm module costs more than a small solve. */
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
  /** Columns that must take whole values (a mixed-integer model). */
  readonly integer?: Int32Array;
}

export type LpOutcome =
  | {
      readonly status: 'optimal';
      readonly objective: number;
      readonly values: Float64Array;
      /** d(objective)/d(row bound): positive when raising the row's value would raise the minimum. */
      readonly rowDual: Float64Array;
    }
  | { readonly status: 'unbounded' | 'infeasible' };

export interface Lp {
  /** Minimizes `cost · x` (a dense cost over every column). */
  minimize(cost: Float64Array): LpOutcome;
  /** Changes the bounds of some rows (e.g. drops a published equation by making it free). */
  setRowBounds(rows: Int32Array, lower: Float64Array, upper: Float64Array): void;
  /** Changes the bounds of every column. */
  setColBounds(lower: Float64Array, upper: Float64Array): void;
  /** Changes the bounds of some columns (ascending indices), leaving the rest and the basis alone. */
  setSomeColBounds(columns: Int32Array, lower: Float64Array, upper: Float64Array): void;
  /** Appends rows (cuts of a mixed-integer model). */
  addRows(rows: readonly LpRow[]): void;
  /** Options for the next solves, e.g. a time limit. */
  setOptions(options: Readonly<Record<string, number | string | boolean>>): void;
  /** The best bound a mixed-integer solve proved (its dual bound). */
  mipBound(): number;
  readonly solves: number;
  /** Simplex iterations over all solves: a measure of work that does not depend on the machine's load. */
  readonly iterations: number;
  dispose(): void;
}

function csr(rows: readonly LpRow[]): { starts: Int32Array; indices: Int32Array; values: Float64Array } {
  let nnz = 0;
  for (const r of rows) nnz += r.vars.length;
  const starts = new Int32Array(rows.length + 1);
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let at = 0;
  rows.forEach((r, i) => {
    indices.set(r.vars, at);
    values.set(r.coefs, at);
    at += r.vars.length;
    starts[i + 1] = at;
  });
  return { starts, indices, values };
}

/** Builds a persistent HiGHS model from sparse rows, with infinities translated to the solver's own. */
export function createLp(highs: Highs, spec: LpSpec): Lp {
  const numCols = spec.colLower.length;
  const inf = highs.infinity;
  const clamp = (x: number): number => (x === Infinity ? inf : x === -Infinity ? -inf : x);
  const clampAll = (xs: Float64Array): Float64Array => xs.map(clamp);
  const integrality = new Int32Array(numCols);
  if (spec.integer) for (const c of spec.integer) integrality[c] = highs.constants.variableType.integer;
  const mip = Boolean(spec.integer && spec.integer.length > 0);
  const model = highs.createModel({
    numCols,
    numRows: spec.rows.length,
    colCost: new Float64Array(numCols),
    colLower: clampAll(spec.colLower),
    colUpper: clampAll(spec.colUpper),
    rowLower: Float64Array.from(spec.rows, (r) => clamp(r.lower)),
    rowUpper: Float64Array.from(spec.rows, (r) => clamp(r.upper)),
    matrix: { format: 'csr', numRows: spec.rows.length, numCols, ...csr(spec.rows) },
    ...(mip ? { integrality } : {}),
  });
  // Solves mostly change the objective, so the last basis stays primal feasible and primal simplex restarts
  // from it: measured 10-50x faster per re-solve than the default dual simplex on release models.
  model.options.set({ output_flag: false, presolve: 'on', ...(mip ? {} : { simplex_strategy: 4 }) });
  const status = highs.constants.modelStatus;
  let solves = 0;
  let iterations = 0;
  return {
    minimize(cost) {
      solves++;
      model.changeColsCost({ kind: 'range', from: 0, to: numCols - 1 }, cost);
      model.run();
      if (!mip) iterations += Number(model.info.get('simplex_iteration_count'));
      let s = model.getModelStatus();
      if (s === status.unboundedOrInfeasible) {
        // Presolve could not tell which; without it the simplex method can.
        model.options.set({ presolve: 'off' });
        model.run();
        model.options.set({ presolve: 'on' });
        s = model.getModelStatus();
      }
      if (
        s === status.optimal ||
        (mip && s === status.timeLimit && model.info.get('primal_solution_status') === 2)
      ) {
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
      throw new Error(`LP solve ended with HiGHS status ${s}`);
    },
    setRowBounds(rows, lower, upper) {
      if (rows.length === 0) return;
      model.changeRowsBounds({ kind: 'set', indices: rows }, clampAll(lower), clampAll(upper));
    },
    setColBounds(lower, upper) {
      model.changeColsBounds({ kind: 'range', from: 0, to: numCols - 1 }, clampAll(lower), clampAll(upper));
    },
    setSomeColBounds(columns, lower, upper) {
      if (columns.length === 0) return;
      model.changeColsBounds({ kind: 'set', indices: columns }, clampAll(lower), clampAll(upper));
    },
    addRows(rows) {
      if (rows.length === 0) return;
      model.addRows({
        lower: Float64Array.from(rows, (r) => clamp(r.lower)),
        upper: Float64Array.from(rows, (r) => clamp(r.upper)),
        matrix: { format: 'csr', numRows: rows.length, numCols, ...csr(rows) },
      });
    },
    setOptions(options) {
      model.options.set(options);
    },
    mipBound: () => Number(model.info.get('mip_dual_bound')),
    get solves() {
      return solves;
    },
    get iterations() {
      return iterations;
    },
    dispose: () => model.dispose(),
  };
}
