import { describe, expect, it } from 'vitest';
import { carrierScenario, MediaPeer, SoftPhone, startDesk } from './call-peers';
import { crashTestSetup, killGroup, startServer, until } from './server-process';
import { freePort, freeUdpRange, startSipp } from './sip-agents';
import { ApiClient } from './test-system';

/**
 * SIGTERM on a real server process with a call up (docs/operations.md): the node drains instead of
 * dropping the call. New calls get 503 and `/readyz` says draining while the call goes on; when the
 * carrier hangs up, the process exits 0 by itself.
 */
describe('SIGTERM drain', () => {
  it('refuses new work, lets the call up end normally, then exits 0', { timeout: 90_000 }, async ({
    onTestFinished,
  }) => {
    const setup = await crashTestSetup(onTestFinished, {
      tmpPrefix: 'sb-drain-',
    });
    const server = await startServer({
      ...setup.env,
      PORT: String(await freePort()),
      SHUTDOWN_DRAIN_SECONDS: '60',
      LOG_LEVEL: 'info',
    });
    setup.cleanups.push(() => killGroup(server, 'SIGKILL'));
    let exited = false;
    void server.exited.then(() => {
      exited = true;
    });

    const media = await MediaPeer.start();
    setup.cleanups.push(() => media.close());
    const desk = await startDesk({ sipPort: server.sipPort }, 'answer', media.port);
    setup.cleanups.push(() => {
      desk.kill();
      return desk.exited;
    });
    const carrier = await startSipp({
      scenario: carrierScenario({ did: '5550104', expect: 200, talkMs: 6000 }),
      transport: 'udp',
      port: setup.carrierPort,
      remote: `127.0.0.1:${server.sipPort}`,
      timeoutMs: 40_000,
      args: [
        '-s',
        '5550104',
        '-m',
        '1',
        '-mi',
        '127.0.0.1',
        '-mp',
        String(await freeUdpRange(4)),
        '-trace_err',
      ],
    });
    setup.cleanups.push(() => {
      carrier.kill();
      return carrier.exited;
    });

    // The call is up once the desk phone hears the customer.
    const admin = new ApiClient(server.url);
    await admin.login('admin');
    await media.until(() => media.loud > 10, 15_000);
    server.child.kill('SIGTERM');

    await until(server.output, (out) => /draining: no new calls/.test(out), 'the drain to start');
    const ready = await fetch(`${server.url}/readyz`);
    expect({ status: ready.status, body: await ready.json() }).toEqual({
      status: 503,
      body: { status: 'draining', liveCalls: 1, since: expect.any(Number) },
    });
    expect((await admin.get('/api/admin/drain')).body).toMatchObject({ draining: true, liveCalls: 1 });

    // A new call is refused while the first goes on.
    const phonePorts = await freeUdpRange(20);
    const other = await SoftPhone.start({ min: phonePorts, max: phonePorts + 19 });
    setup.cleanups.push(() => other.close());
    expect((await other.call(server, '5550104', '+12025550143')).status).toBe(503);
    expect(exited).toBe(false);

    // The carrier's call ends as it was scripted (its BYE answered): then the node stops by itself.
    expect(await carrier.exited, carrier.output).toBe(0);
    await server.exited;
    expect(server.child.exitCode).toBe(0);
    expect(server.output()).not.toMatch(/drain time over/);
  });
});
