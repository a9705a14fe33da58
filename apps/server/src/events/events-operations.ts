import { z } from 'zod';
import { defineOperations } from '../openapi/operation';

const eventsQuerySchema = z.object({
  /** Only these event types, comma-separated (a wallboard display: `wallboard`). */
  types: z.string().optional(),
  /** Resume after this event (the browser sends Last-Event-ID itself on reconnect). */
  lastEventId: z.string().optional(),
});

/** What events-route.ts serves, as /api/openapi.json publishes it. */
export const eventsOperations = defineOperations('Live events', [
  {
    method: 'get',
    path: '/events',
    summary: 'Live events (server-sent events)',
    description:
      'Every event the viewer may see, or only the types listed in `types` (a stream of some types only is a display, not a desk: it keeps nobody signed in).',
    access: 'agent',
    query: eventsQuerySchema,
  },
  {
    method: 'get',
    path: '/portal/events',
    summary: 'Portal live events (server-sent events)',
    access: 'subscriber',
    response: { description: 'Server-sent events', contentType: 'text/event-stream' },
  },
]);
