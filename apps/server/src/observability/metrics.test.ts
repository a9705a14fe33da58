import { readFileSync } from 'node:fs';
import type { Wallboard, WallboardFigures } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { Metrics } from './metrics';

const figures = (over: Partial<WallboardFigures> = {}): WallboardFigures => ({
  waiting: 0,
  longestWaitSeconds: 0,
  oldestWaitingSince: null,
  agents: { idle: 0, on_call: 0, wrapup: 0, paused: 0, logged_out: 0 },
  answeredToday: 0,
  abandonedToday: 0,
  serviceLevel: { percent: null, thresholdSeconds: 20, targetPercent: 80, answeredWithin: 0, offered: 0 },
  averageSpeedOfAnswerSeconds: null,
  averageHandleTimeSeconds: null,
  ...over,
});

describe('Metrics', () => {
  it('counts trunk calls by direction and failures by final status', async () => {
    const m = new Metrics();
    m.countTrunkCall('carrier', 'inbound');
    m.countTrunkCall('carrier', 'outbound', 200);
    m.countTrunkCall('carrier', 'outbound', 486);
    m.countTrunkCall('carrier', 'outbound', 486);
    const text = await m.text();
    expect(text).toContain('switchboard_trunk_calls_total{trunk="carrier",direction="inbound"} 1');
    expect(text).toContain('switchboard_trunk_calls_total{trunk="carrier",direction="outbound"} 3');
    expect(text).toContain('switchboard_trunk_call_failures_total{trunk="carrier",status="486"} 2');
    expect(text).not.toContain('status="200"');
  });

  it("observes each leg's loss and jitter, skipping legs that received nothing and junk", async () => {
    const m = new Metrics();
    m.observeCallQuality({
      customer: { packetsReceived: 500, lossRate: 0.02, jitterMs: 12 },
      callee: { packetsReceived: 0, lossRate: 1, jitterMs: 0 },
      caller: 'not an object',
    });
    m.observeCallQuality(null);
    m.observeCallQuality({ other: { lossRate: 'x', jitterMs: Number.NaN } });
    const text = await m.text();
    expect(text).toContain('switchboard_media_packet_loss_ratio_count 1');
    expect(text).toContain('switchboard_media_packet_loss_ratio_bucket{le="0.01"} 0');
    expect(text).toContain('switchboard_media_packet_loss_ratio_bucket{le="0.02"} 1');
    expect(text).toContain('switchboard_media_jitter_seconds_count 1');
    expect(text).toContain('switchboard_media_jitter_seconds_bucket{le="0.01"} 0');
    expect(text).toContain('switchboard_media_jitter_seconds_bucket{le="0.02"} 1');
  });

  it('reads the queue figures once per scrape and leaves the service level out until a call is offered', async () => {
    const m = new Metrics();
    let computed = 0;
    const board: Wallboard = {
      since: 0,
      at: 0,
      queues: [
        {
          queueId: 1,
          name: 'sales',
          ...figures({
            waiting: 2,
            longestWaitSeconds: 41,
            answeredToday: 8,
            abandonedToday: 2,
            serviceLevel: {
              percent: 75,
              thresholdSeconds: 20,
              targetPercent: 80,
              answeredWithin: 6,
              offered: 8,
            },
            agents: { idle: 1, on_call: 2, wrapup: 0, paused: 1, logged_out: 0 },
          }),
        },
        { queueId: 2, name: 'support', ...figures() },
      ],
      overall: figures(),
    };
    m.wallboardSource = async () => {
      computed++;
      return board;
    };
    m.agentStatesSource = () => ({ idle: 1, on_call: 2, paused: 1 });
    const text = await m.text();
    expect(computed).toBe(1);
    expect(text).toContain('switchboard_queue_waiting{queue="sales"} 2');
    expect(text).toContain('switchboard_queue_longest_wait_seconds{queue="sales"} 41');
    expect(text).toContain('switchboard_queue_calls_today{queue="sales",outcome="answered"} 8');
    expect(text).toContain('switchboard_queue_calls_today{queue="sales",outcome="abandoned"} 2');
    expect(text).toContain('switchboard_queue_service_level_ratio{queue="sales"} 0.75');
    expect(text).not.toContain('switchboard_queue_service_level_ratio{queue="support"}');
    expect(text).toContain('switchboard_queue_agents{queue="sales",state="on_call"} 2');
    expect(text).toContain('switchboard_agents{state="wrapup"} 0');
    expect(text).toContain('switchboard_agents{state="on_call"} 2');
    // The next scrape computes again: figures are never stale.
    await m.text();
    expect(computed).toBe(2);
  });

  it('keeps serving the other metrics when the queue figures fail', async () => {
    const m = new Metrics();
    m.wallboardSource = async () => {
      throw new Error('database down');
    };
    const text = await m.text();
    expect(text).not.toContain('switchboard_queue_waiting{');
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('records dialer lateness and webhook outcomes', async () => {
    const m = new Metrics();
    m.dialerLateness.observe({ kind: 'callback_plan' }, 0.3);
    m.webhookDeliveries.inc({ outcome: 'retrying' });
    const text = await m.text();
    expect(text).toContain('switchboard_dialer_lateness_seconds_bucket{le="0.25",kind="callback_plan"} 0');
    expect(text).toContain('switchboard_dialer_lateness_seconds_bucket{le="0.5",kind="callback_plan"} 1');
    expect(text).toContain('switchboard_webhook_deliveries_total{outcome="retrying"} 1');
  });

  it('the Grafana dashboard in docs graphs only metrics the server exposes', async () => {
    const dashboard = JSON.parse(
      readFileSync(new URL('../../../../docs/grafana/switchboard-dashboard.json', import.meta.url), 'utf8'),
    ) as { panels: Array<{ targets?: Array<{ expr: string }> }> };
    const exposed = new Set((await new Metrics().registry.getMetricsAsJSON()).map((m) => m.name));
    const used = new Set<string>();
    for (const p of dashboard.panels)
      for (const t of p.targets ?? [])
        for (const [name] of t.expr.matchAll(/\b(?:switchboard|process|nodejs)_[a-z0-9_]+/g))
          used.add(name.replace(/_(bucket|count|sum)$/, ''));
    expect(used.size).toBeGreaterThan(15);
    expect([...used].filter((n) => !exposed.has(n))).toEqual([]);
  });
});
