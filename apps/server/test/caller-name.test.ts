import { describe, expect, it } from 'vitest';
import { customerCallsDave, deskPhone, startSwitch } from './call-control-harness';
import { deferrer } from './defer';
import { loggedInAs } from './test-system';

/**
 * The agent's phone shows who calls: the CRM name of the caller's customer (one the agent may see)
 * as the display name, the number beside it — not the number twice.
 */
describe('caller ID toward the agent', () => {
  it("names the caller with the agent's own customer, and only theirs", {
    timeout: 40_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer);
    const dave = await deskPhone(defer, sys, 'dave');
    // The customer harness calls from +12025550199. bob's customer with it is not dave's to see.
    const bob = await loggedInAs(sys, 'bob');
    expect(
      (await bob.post('/api/customers', { name: 'Bob Knows Them', phones: ['+12025550199'] })).status,
    ).toBe(201);
    const first = await customerCallsDave(defer, sys, dave);
    expect(first.invite.request.from?.displayName).toBe('+12025550199');
    await dave.dialog!.bye();

    const daveApi = await loggedInAs(sys, 'dave');
    expect(
      (await daveApi.post('/api/customers', { name: 'Dana Caller', phones: ['+12025550199'] })).status,
    ).toBe(201);
    const second = await customerCallsDave(defer, sys, dave);
    expect(second.invite.request.from?.displayName).toBe('Dana Caller');
    expect(second.invite.request.from?.uri.toString()).toContain('+12025550199');
    await dave.dialog!.bye();
  });
});
