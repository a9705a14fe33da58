import { z } from 'zod';
import { idParams, pathId } from '../http/id-params';

/** A campaign's path parameters: `/campaigns/:id`, and `/campaigns/:id/tasks/:taskId`. */
export { idParams };
export const taskParams = z.object({ id: pathId('id'), taskId: pathId('taskId') });
