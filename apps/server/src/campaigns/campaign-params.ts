import { z } from 'zod';

const positiveId = (name: string) =>
  z.coerce.number().int(`${name} must be a whole number`).positive(`${name} must be positive`);

/** A campaign's path parameters: `/campaigns/:id`, and `/campaigns/:id/tasks/:taskId`. */
export const idParams = z.object({ id: positiveId('id') });
export const taskParams = z.object({ id: positiveId('id'), taskId: positiveId('taskId') });
