import { type APIRequestContext, expect, type PlaywrightWorkerArgs } from '@playwright/test';
import { freePort } from './carrier';

/*
 * What a test adds to the switch through the admin API for its carrier calls, each with a
 * `remove()`/`cleanup()` that takes it away again, so tests leave the demo data as they found it.
 */

/** An API context logged in as the admin; dispose of it at the end of the test. */
export async function adminSession(
  playwright: PlaywrightWorkerArgs['playwright'],
  baseURL: string | undefined,
): Promise<APIRequestContext> {
  const admin = await playwright.request.newContext({ baseURL });
  const login = await admin.post('/api/auth/login', { data: { username: 'admin', password: 'admin' } });
  expect(login.ok()).toBe(true);
  return admin;
}

/**
 * A trunk to the carrier listening on `carrierPort`, once the switch sees it up (the carrier has
 * answered its first keep-alive): the dialer and the callback services take only a trunk that is up.
 * Returns its id; delete it at the end of the test.
 */
export async function addTrunkUp(
  admin: APIRequestContext,
  name: string,
  carrierPort: number,
): Promise<number> {
  const trunk = await admin.post('/api/admin/trunks', {
    data: { name, uri: `sip:127.0.0.1:${carrierPort}` },
  });
  expect(trunk.status(), await trunk.text()).toBe(201);
  const trunkId = (await trunk.json()).id as number;
  await expect
    .poll(async () => {
      const list = (await (await admin.get('/api/admin/trunks')).json()).trunks as Array<{
        id: number;
        live: { state: string };
      }>;
      return list.find((t) => t.id === trunkId)?.live.state;
    })
    .toBe('up');
  return trunkId;
}

export interface CarrierRoute {
  trunkId: number;
  routeId: number;
  remove(): Promise<void>;
}

/** A carrier trunk pointing at `carrierPort` and a DID routed to `target`; `remove()` deletes both. */
export async function carrierRoute(
  admin: APIRequestContext,
  carrierPort: number,
  did: string,
  target: { targetType: 'extension' | 'queue'; targetId: string },
): Promise<CarrierRoute> {
  const trunk = await admin.post('/api/admin/trunks', {
    data: { name: `e2e-carrier-${carrierPort}`, uri: `sip:127.0.0.1:${carrierPort}` },
  });
  expect(trunk.status(), await trunk.text()).toBe(201);
  const trunkId = (await trunk.json()).id as number;
  const route = await admin.post('/api/admin/inbound-routes', { data: { number: did, ...target } });
  if (route.status() !== 201) await admin.delete(`/api/admin/trunks/${trunkId}`);
  expect(route.status(), await route.text()).toBe(201);
  const routeId = (await route.json()).id as number;
  return {
    trunkId,
    routeId,
    remove: async () => {
      await admin.delete(`/api/admin/inbound-routes/${routeId}`);
      await admin.delete(`/api/admin/trunks/${trunkId}`);
    },
  };
}

export interface TestQueue {
  queueId: number;
  queueName: string;
  did: string;
  carrierPort: number;
  cleanup(): Promise<void>;
}

/**
 * A queue of the test's own with `members`, reached from a carrier at a free port through the DID.
 * `cleanup()` takes the route, the trunk and the members away; the queue itself stays (queues cannot
 * be deleted), left without members or route.
 */
export async function createTestQueue(
  admin: APIRequestContext,
  options: { did: string; members: string[]; ringTimeoutS?: number },
): Promise<TestQueue> {
  const carrierPort = await freePort();
  const undo: (() => Promise<unknown>)[] = [];
  const cleanup = async () => {
    for (const step of undo.reverse()) await step();
  };
  try {
    const queueName = `e2e-${options.did}-${carrierPort}`;
    const queue = await admin.post('/api/admin/queues', {
      data: { name: queueName, ringTimeoutS: options.ringTimeoutS ?? 20, maxWaitS: 600 },
    });
    expect(queue.status(), await queue.text()).toBe(201);
    const queueId = (await queue.json()).id as number;

    const users = (await (await admin.get('/api/admin/users')).json()) as {
      users: { id: number; username: string }[];
    };
    for (const username of options.members) {
      const user = users.users.find((u) => u.username === username);
      expect(user, `user ${username}`).toBeTruthy();
      const member = await admin.put(`/api/admin/queues/${queueId}/members/${user!.id}`, {
        data: { penalty: 0 },
      });
      expect(member.status(), await member.text()).toBe(200);
      undo.push(() => admin.delete(`/api/admin/queues/${queueId}/members/${user!.id}`));
    }

    const route = await carrierRoute(admin, carrierPort, options.did, {
      targetType: 'queue',
      targetId: String(queueId),
    });
    undo.push(() => route.remove());
    return { queueId, queueName, did: options.did, carrierPort, cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
