import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { LiveEvent } from '@switchboard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedInAs, TestSystem, userId } from './test-system';

// SQLite answers synchronously: an import that never yields would hold the event loop (SIP, HTTP)
// for its whole length. PostgreSQL's answers come back through the event loop anyway.
describe('a 5,000-row dial-task import [sqlite]', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await TestSystem.start('sqlite');
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('reports its progress to the importer and leaves HTTP served and timers on time meanwhile', {
    timeout: 120_000,
  }, async () => {
    const sam = await loggedInAs(sys, 'sam');
    const samId = await userId(sys, 'sam');
    const rows = Array.from(
      { length: 5000 },
      (_, i) =>
        `20255${String(10000 + i).padStart(5, '0')},,${['alice', '1002', 'carol'][i % 3]},2026-09-01,2026-09-30,row ${i}`,
    );
    const csv = ['number,customer_id,agent,start,end,note', ...rows].join('\n');

    const order: string[] = [];
    const progress: Array<Extract<LiveEvent, { type: 'import_progress' }>> = [];
    let health: Promise<void> | null = null;
    const off = sys.deps.events.subscribe({ userId: samId, role: 'supervisor' }, (e) => {
      if (e.event.type !== 'import_progress' || e.event.kind !== 'dial_tasks') return;
      progress.push(e.event);
      // While the import runs, another client asks for /healthz: it is answered before the import.
      health ??= fetch(`${sys.url}/healthz`).then(async (r) => {
        order.push(`healthz ${r.status} ${r.status === 200 ? '' : await r.text()}`.trim());
      });
    });
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const res = await sam.post('/api/dial-tasks/import', { timeZone: 'UTC', csv });
    order.push(`import ${res.status}`);
    delay.disable();
    off();
    await health;

    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(201);
    expect(res.body.created).toBe(5000);
    expect(order).toEqual(['healthz 200', 'import 201']);
    // Progress went up through both phases to the whole file.
    expect(progress.filter((p) => p.phase === 'checking').length).toBeGreaterThanOrEqual(3);
    expect(progress.filter((p) => p.phase === 'writing').length).toBeGreaterThanOrEqual(3);
    expect(progress.every((p) => p.total === 5000)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ phase: 'writing', done: 5000 });
    const writing = progress.filter((p) => p.phase === 'writing').map((p) => p.done);
    expect(writing).toEqual([...writing].sort((a, b) => a - b));
    // The longest the event loop was held: whole seconds before slicing, a slice's worth now. The
    // bound is generous for a loaded machine.
    expect(delay.max / 1e6).toBeLessThan(1500);
  });
});
