import { defineOperations } from '../openapi/operation';

/** What events-route.ts serves, as /api/openapi.json publishes it. */
export const eventsOperations = defineOperations('Live events', [
  { method: 'get', path: '/events', summary: 'List events', access: 'agent' },
  {
    method: 'get',
    path: '/portal/events',
    summary: 'Get portal events',
    access: 'subscriber',
    response: { description: 'Server-sent events', contentType: 'text/event-stream' },
  },
]);
