import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { customerPhone, deskPhone, startSwitch } from './call-control-harness';
import type { SoftPhone } from './call-peers';
import { type Defer, deferrer } from './defer';
import { freePort } from './sip-agents';
import { allCallsEnded } from './switch-events';
import { loggedInAs, type TestSystem } from './test-system';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const config = path.join(root, 'docker/kamailio/kamailio.cfg');

/** Kamailio (Debian's package) with the shipped configuration, in front of `nodes`. */
async function startEdge(
  defer: Defer,
  nodes: TestSystem[],
  port: number,
): Promise<{ port: number; output: () => string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-edge-'));
  const list = path.join(dir, 'dispatcher.list');
  writeFileSync(list, nodes.map((n) => `1 sip:127.0.0.1:${n.sipPort}\n`).join(''));
  let out = '';
  const child: ChildProcess = spawn(
    'kamailio',
    [
      '-f',
      config,
      '-DD',
      '-E',
      '-l',
      `udp:127.0.0.1:${port}`,
      '-A',
      `DISPATCHER_LIST="${list}"`,
      '-A',
      'PROBE_INTERVAL=1',
      // Every peer of this test sends from 127.0.0.1, as one carrier would not.
      '-A',
      'PIKE_DENSITY=1000',
      '-Y',
      dir,
      '-P',
      path.join(dir, 'kamailio.pid'),
      '-w',
      dir,
      '-m',
      '32',
      '-M',
      '4',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  let stopping = false;
  defer(async () => {
    stopping = true;
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  });
  void exited.then(() => {
    if (!stopping) out += '\n(kamailio exited)';
  });
  await answersOptions(port, () => out);
  return { port, output: () => out };
}

/** Resolves once Kamailio answers an OPTIONS to itself (sent again every 200 ms until it does). */
async function answersOptions(port: number, output: () => string): Promise<void> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  try {
    await new Promise<void>((resolve, reject) => {
      const options = () =>
        `OPTIONS sip:127.0.0.1:${port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${sock.address().port};branch=z9hG4bK${Math.random().toString(36).slice(2)}\r\n` +
        `From: <sip:probe@127.0.0.1>;tag=1\r\nTo: <sip:127.0.0.1:${port}>\r\nCall-ID: ${Math.random()}\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`;
      const resend = setInterval(() => sock.send(options(), port, '127.0.0.1'), 200);
      const giveUp = setTimeout(() => {
        clearInterval(resend);
        reject(new Error(`kamailio did not answer: ${output()}`));
      }, 15_000);
      sock.on('message', (m) => {
        if (!m.toString().startsWith('SIP/2.0 200')) return;
        clearInterval(resend);
        clearTimeout(giveUp);
        resolve();
      });
      sock.send(options(), port, '127.0.0.1');
    });
  } finally {
    sock.close();
  }
}

/**
 * Two nodes behind Kamailio (docs/several-nodes.md): carrier calls are spread over them; a node
 * that drains answers new calls and probes 503, Kamailio sends its calls to the other node without
 * the carrier seeing a failure, and sends it calls again once it takes them.
 */
describe('Kamailio in front of two nodes', () => {
  it('spreads calls, moves them off a draining node, and brings the node back', { timeout: 90_000 }, async ({
    onTestFinished,
  }) => {
    const defer = deferrer(onTestFinished);
    const edgePort = await freePort();
    // Each node takes the edge as its carrier trunk: calls from Kamailio's address are carrier calls.
    const nodes = [
      await startSwitch(defer, { TRUNK_URI: `sip:127.0.0.1:${edgePort}` }),
      await startSwitch(defer, { TRUNK_URI: `sip:127.0.0.1:${edgePort}` }),
    ];
    for (const n of nodes) {
      await n.db.updateTable('trunks').set({ register: 0 }).execute();
      await n.deps.trunks.reload();
    }
    const [a, b] = nodes as [TestSystem, TestSystem];
    const edge = await startEdge(defer, nodes, edgePort);

    // Dave's desk phone is registered on both nodes, so either can ring him.
    const dave = await deskPhone(defer, a, 'dave');
    await b.db
      .updateTable('extensions')
      .set({ type: 'sip', sip_secret: 'dave-secret' })
      .where('number', '=', '1004')
      .execute();
    await dave.register(b, '1004', 'dave-secret');
    const carrier = await customerPhone(defer);

    const nodeOf = (port: number) => (port === a.sipPort ? 'A' : port === b.sipPort ? 'B' : `port ${port}`);
    let n = 0;
    /** A carrier call through the edge, answered by dave and hung up by the carrier: the node it used. */
    const callThroughEdge = async (phone: SoftPhone) => {
      n++;
      const placed = carrier.call({ sipPort: edge.port }, '5550104', `+1202555017${n}`);
      const invite = await phone.nextInvite();
      const node = nodeOf(invite.flow.remotePort);
      await phone.answer(invite);
      const res = await placed;
      expect(res.status, edge.output()).toBe(200);
      // The BYE follows the Record-Route through Kamailio to the node that has the call.
      await carrier.dialog!.bye();
      for (const sys of nodes) await allCallsEnded(sys, 8000);
      return node;
    };

    const spread = [await callThroughEdge(dave), await callThroughEdge(dave)];
    expect(spread.sort()).toEqual(['A', 'B']);

    // A drains: every new call goes to B, and the carrier never sees a failure.
    const admin = await loggedInAs(a, 'admin');
    expect((await admin.post('/api/admin/drain', {})).status).toBe(200);
    const whileDraining = [];
    for (let i = 0; i < 4; i++) whileDraining.push(await callThroughEdge(dave));
    expect(whileDraining).toEqual(['B', 'B', 'B', 'B']);

    // A takes calls again: once Kamailio's probe finds it up, calls reach it again.
    expect((await admin.delete('/api/admin/drain')).status).toBe(200);
    const after: string[] = [];
    // Kamailio's next OPTIONS probe (one a second here) finds it: calls until then go to B.
    const deadline = Date.now() + 20_000;
    while (!after.includes('A') && Date.now() < deadline) after.push(await callThroughEdge(dave));
    expect(after).toContain('A');
  });
});
