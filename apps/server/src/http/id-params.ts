import { z } from 'zod';

/** A record's id in a path (`:id`, `:taskId`…): a positive whole number, named in each error. */
export function pathId(name: string) {
  return z.coerce
    .number({ error: `${name} must be a whole number` })
    .int(`${name} must be a whole number`)
    .positive(`${name} must be positive`);
}

/** The `:id` of a record route (customers, queues, campaigns, webhooks…). */
export const idParams = z.object({ id: pathId('id') });
