import { expect, it } from 'vitest';
import { registerWebAgent } from './sip-agents';
import { type ApiClient, describeEachDatabase, loggedInAs, userId } from './test-system';

/** Opens the live stream of a client; `ended` resolves when the server closes it. */
async function openStream(baseUrl: string, client: ApiClient) {
  const abort = new AbortController();
  const res = await fetch(`${baseUrl}/api/events`, {
    headers: { cookie: client.cookieHeader() },
    signal: abort.signal,
  });
  expect(res.status).toBe(200);
  let text = '';
  const ended = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body!) text += decoder.decode(chunk as Uint8Array);
      return 'closed by server' as const;
    } catch {
      return 'aborted' as const;
    }
  })();
  return { ended, abort, text: () => text };
}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} not within ${ms} ms`)), ms)),
  ]);
}

describeEachDatabase('sessions end their live streams and softphone registrations', (sys) => {
  it('logout ends the stream and the web extension registration at once', async () => {
    const bob = await loggedInAs(sys(), 'bob');
    const agent = await registerWebAgent(sys(), 'bob', { client: bob });
    const stream = await openStream(sys().url, bob);
    await expect.poll(stream.text).toContain('event: ready');
    expect(sys().deps.registrar.isRegistered('1002')).toBe(true);
    expect((await bob.post('/api/auth/logout')).status).toBe(204);
    expect(await within(stream.ended, 5000, 'stream end after logout')).toBe('closed by server');
    await expect.poll(() => sys().deps.registrar.isRegistered('1002'), { timeout: 5000 }).toBe(false);
    await agent.ua.stop().catch(() => {});
  });

  it('disabling a user and changing their role end their streams', async () => {
    const admin = await loggedInAs(sys(), 'admin');
    const carol = await loggedInAs(sys(), 'carol');
    const carolId = await userId(sys(), 'carol');
    const stream = await openStream(sys().url, carol);
    await expect.poll(stream.text).toContain('event: ready');
    expect((await admin.patch(`/api/admin/users/${carolId}`, { disabled: true })).status).toBe(200);
    expect(await within(stream.ended, 5000, 'stream end after disable')).toBe('closed by server');
    expect((await admin.patch(`/api/admin/users/${carolId}`, { disabled: false })).status).toBe(200);

    const alice = await loggedInAs(sys(), 'alice');
    const aliceId = await userId(sys(), 'alice');
    const other = await loggedInAs(sys(), 'bob');
    const aliceStream = await openStream(sys().url, alice);
    const bobStream = await openStream(sys().url, other);
    await expect.poll(aliceStream.text).toContain('event: ready');
    await expect.poll(bobStream.text).toContain('event: ready');
    expect((await admin.patch(`/api/admin/users/${aliceId}`, { role: 'supervisor' })).status).toBe(200);
    expect(await within(aliceStream.ended, 5000, 'stream end after role change')).toBe('closed by server');
    // Someone else's stream goes on.
    const stillOpen = await Promise.race([
      bobStream.ended,
      new Promise((r) => setTimeout(() => r('open'), 300)),
    ]);
    expect(stillOpen).toBe('open');
    bobStream.abort.abort();
    expect((await admin.patch(`/api/admin/users/${aliceId}`, { role: 'agent' })).status).toBe(200);
  });
});
