import { expect } from 'vitest';
import type { ApiClient } from './test-system';

/** A dial task through the API, due since a minute ago and open for a day; its id. */
export async function createDialTask(
  supervisor: ApiClient,
  assignee: number,
  number: string,
  note?: string,
): Promise<number> {
  const res = await supervisor.post('/api/dial-tasks', {
    number,
    assignedUserId: assignee,
    startAt: new Date(Date.now() - 60_000).toISOString(),
    endAt: new Date(Date.now() + 86_400_000).toISOString(),
    ...(note ? { note } : {}),
  });
  expect(res.status, res.text).toBe(201);
  return res.body.task.id as number;
}
