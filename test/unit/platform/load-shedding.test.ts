import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { loadShedding } from '../../../src/platform/load-shedding';
import { walWarnings } from '../../../src/platform/wal-settings';

// Overload, not a counter, decides when intake refuses work.

// A response that records a 503 page; `next` records a pass.
function run(middleware: ReturnType<typeof loadShedding>) {
  let outcome: unknown = 'none';
  const emitter = new EventEmitter();
  const res = Object.assign(emitter, {
    status(code: number) {
      outcome = code;
      return res;
    },
    set: () => res,
    render: () => undefined,
  }) as unknown as Response;
  middleware({} as Request, res, () => {
    outcome = 'passed';
  });
  return { outcome, finish: () => emitter.emit('finish') };
}

describe('loadShedding', () => {
  it('refuses new work while the queue is full and takes it again as it drains', () => {
    const shed = loadShedding({ maxInFlight: 2, maxDelayMs: 500, minQueueForDelay: 8 }, () => 0);
    const first = run(shed);
    const second = run(shed);
    expect([first.outcome, second.outcome]).toEqual(['passed', 'passed']);
    expect(run(shed).outcome).toBe(503);
    first.finish();
    first.finish();
    expect(run(shed).outcome).toBe('passed');
    expect(run(shed).outcome).toBe(503);
  });

  it('refuses on event-loop delay only while requests are queuing', () => {
    let delay = 2000;
    const shed = loadShedding({ maxInFlight: 100, maxDelayMs: 500, minQueueForDelay: 2 }, () => delay);
    const queued = [run(shed), run(shed)];
    expect(queued.map((request) => request.outcome)).toEqual(['passed', 'passed']);
    expect(run(shed).outcome).toBe(503);
    delay = 10;
    expect(run(shed).outcome).toBe('passed');
  });
});

describe('walWarnings', () => {
  it('warns about commit timestamps and WAL archiving, with fixed sentences only', () => {
    expect(walWarnings({ trackCommitTimestamp: 'off', archiveMode: 'off' })).toEqual([]);
    const warnings = walWarnings({ trackCommitTimestamp: 'on', archiveMode: 'always' });
    expect(warnings).toHaveLength(2);
    expect(warnings.join(' ')).toContain('track_commit_timestamp');
    expect(warnings.join(' ')).toContain('archive_mode');
    expect(warnings.join(' ')).not.toMatch(/\d/);
  });
});
