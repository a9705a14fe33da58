// Peers for the call-script tests: sipp carriers (UAS) that answer the switch's outbound calls and
// type digits as RFC 4733 events from sip-tester's pcaps, or turn the call away with a status.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { Defer } from './defer';
import { freeMediaPorts, type SippProcess, startSipp } from './sip-agents';
import { phoneSdp, sippScenarioXml, uasReply } from './sipp/uas-scenario';
import type { TestSystem } from './test-system';

export { dtmfPcap, typeDigits } from './sipp/caller-scenario';

function writeScenario(name: string, body: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-script-peer-'));
  const file = path.join(dir, `${name.replace(/\W+/g, '-')}.xml`);
  writeFileSync(file, sippScenarioXml(name, body));
  return file;
}

/** A carrier that answers (after 180), runs `afterAnswer` (e.g. `typeDigits`), then waits for BYE. */
export function answeringCarrier(afterAnswer = ''): string {
  return writeScenario(
    'carrier answers',
    `<recv request="INVITE" />${uasReply('180 Ringing', { contactUser: 'carrier' })}
  <pause milliseconds="100" />${uasReply('200 OK', { contactUser: 'carrier', sdp: phoneSdp() })}
  <recv request="ACK" />
  ${afterAnswer}
  <recv request="BYE" />${uasReply('200 OK', { contactUser: 'carrier' })}
  <pause milliseconds="200" />`,
  );
}

/** A carrier that turns the call away with `status` (e.g. `486 Busy Here`), or rings until CANCEL. */
export function refusingCarrier(status: string | 'ring'): string {
  const body =
    status === 'ring'
      ? `<recv request="INVITE" />${uasReply('180 Ringing', { contactUser: 'carrier' })}
  <recv request="CANCEL" />${uasReply('200 OK', { contactUser: 'carrier' })}${uasReply('487 Request Terminated', { contactUser: 'carrier', cseq: 'CSeq: 1 INVITE' })}
  <recv request="ACK" />`
      : `<recv request="INVITE" />${uasReply(status, { contactUser: 'carrier' })}
  <recv request="ACK" />`;
  return writeScenario(`carrier ${status}`, `${body}\n  <pause milliseconds="200" />`);
}

/** Runs a carrier scenario for `calls` calls, killed when the test ends. */
export async function startCarrier(
  defer: Defer,
  scenario: string,
  options: { calls?: number; echo?: boolean; messageFile?: string; timeoutMs?: number } = {},
): Promise<SippProcess> {
  const mp = await freeMediaPorts();
  const carrier = await startSipp({
    scenario,
    transport: 'udp',
    timeoutMs: options.timeoutMs ?? 30_000,
    args: [
      '-m',
      String(options.calls ?? 1),
      '-mi',
      '127.0.0.1',
      '-mp',
      String(mp),
      ...(options.echo ? ['-rtp_echo'] : []),
      ...(options.messageFile ? ['-trace_msg', '-message_file', options.messageFile] : []),
      '-trace_err',
    ],
  });
  defer(() => {
    carrier.kill();
    return carrier.exited;
  });
  return carrier;
}

/** Points the system's trunks at these carriers (trunk ids in order), registration off. */
export async function trunksTo(sys: TestSystem, carriers: Array<{ port: number }>): Promise<number[]> {
  await sys.db.deleteFrom('trunks').execute();
  const ids: number[] = [];
  for (const [i, c] of carriers.entries()) {
    const row = await sys.db
      .insertInto('trunks')
      .values({
        name: `carrier-${i + 1}`,
        uri: `sip:127.0.0.1:${c.port}`,
        transport: 'udp',
        register: 0,
        enabled: 1,
        created_at: Date.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(row.id);
  }
  await sys.deps.trunks.reload();
  return ids;
}

/**
 * Nothing of a script call outlives it: no active call, leg, timer or media leg (RTP port), no open
 * CDR and no leg row without an end.
 */
export async function expectNothingLeft(sys: TestSystem): Promise<void> {
  const scripts = sys.deps.scripts;
  await expect.poll(() => scripts.calls.length, { timeout: 5000 }).toBe(0);
  expect(scripts.openLegs).toBe(0);
  expect(scripts.pendingTimers).toBe(0);
  await expect.poll(() => scripts.context.media.openLegs, { timeout: 5000 }).toBe(0);
  const open = await sys.db.selectFrom('calls').select('id').where('status', '=', 'open').execute();
  expect(open).toEqual([]);
  // A queue call closes its CDR before its leg rows (their writes follow at once): wait for them.
  await expect
    .poll(() => sys.db.selectFrom('call_legs').select('leg_uuid').where('ended_at', 'is', null).execute(), {
      timeout: 5000,
    })
    .toEqual([]);
}

/**
 * A carrier that answers calls to most numbers but turns away those whose request URI matches
 * `refuse` (a POSIX regex on the INVITE line, e.g. `sip:\+?44`) with `status`: one sipp for a call
 * whose first leg is answered and whose second is busy.
 */
export function carrierRefusing(refuse: string, status: string): string {
  return writeScenario(
    `carrier refusing ${refuse}`,
    `<recv request="INVITE">
    <action><ereg regexp="^INVITE ${refuse}" search_in="msg" check_it="false" assign_to="refused" /></action>
  </recv>
  <nop test="refused" next="refuse" />${uasReply('180 Ringing', { contactUser: 'carrier' })}
  <pause milliseconds="100" />${uasReply('200 OK', { contactUser: 'carrier', sdp: phoneSdp() })}
  <recv request="ACK" />
  <recv request="BYE" />${uasReply('200 OK', { contactUser: 'carrier' })}
  <nop next="done" />
  <label id="refuse" />${uasReply(status, { contactUser: 'carrier' })}
  <recv request="ACK" />
  <label id="done" />
  <pause milliseconds="200" />`,
  );
}
