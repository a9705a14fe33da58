import { defineOperations } from '../openapi/operation';

/** What events-route.ts serves, as /api/openapi.json publishes it. */
export const eventsOperations = defineOperations('Live events', [
  { method: 'get', path: '/events', summary: 'Live events (server-sent events)', access: 'agent' },
  {
    method: 'get',
    path: '/portal/events',
    summary: 'Portal live events (server-sent events)',
    access: 'subscriber',
    response: { description: 'Server-sent events', contentType: 'text/event-stream' },
  },
]);
