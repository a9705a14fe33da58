import type { ApiTokenScope } from '@switchboard/shared';

const read = ['GET', 'HEAD'];
const write = ['POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * The routes each scope opens to a token, by method and path under /api. A route no scope names is
 * closed to tokens whatever their user's role: sign-in, settings, administration, the live stream.
 */
const routeScopes: { scope: ApiTokenScope; methods: string[]; path: RegExp }[] = [
  { scope: 'cdr:read', methods: read, path: /^\/api\/cdr(\/|$)/ },
  { scope: 'recordings:read', methods: read, path: /^\/api\/recordings(\/|$)/ },
  { scope: 'customers:read', methods: read, path: /^\/api\/customers(\/|$)/ },
  { scope: 'customers:write', methods: write, path: /^\/api\/customers(\/|$)/ },
  { scope: 'calls:dial', methods: ['POST'], path: /^\/api\/calls\/click-to-dial$/ },
  { scope: 'dial_tasks:read', methods: read, path: /^\/api\/dial-tasks(\/|$)/ },
  { scope: 'dial_tasks:write', methods: write, path: /^\/api\/dial-tasks(\/|$)/ },
  { scope: 'callback_plans:read', methods: read, path: /^\/api\/callback-plans(\/|$)/ },
  { scope: 'callback_plans:write', methods: write, path: /^\/api\/callback-plans(\/|$)/ },
  { scope: 'queues:read', methods: read, path: /^\/api\/(queues|wallboard)(\/|$)/ },
  { scope: 'campaigns:read', methods: read, path: /^\/api\/campaigns(\/|$)/ },
  { scope: 'campaigns:write', methods: write, path: /^\/api\/campaigns(\/|$)/ },
];

/** The scope a request needs, or null when no token may make it. */
export function scopeForRoute(method: string, path: string): ApiTokenScope | null {
  return routeScopes.find((r) => r.methods.includes(method) && r.path.test(path))?.scope ?? null;
}

/** Routes any token may read whatever its scopes: the API document, which says what the scopes open. */
const everyToken: { methods: string[]; path: RegExp }[] = [{ methods: read, path: /^\/api\/openapi\.json$/ }];

export function openToEveryToken(method: string, path: string): boolean {
  return everyToken.some((r) => r.methods.includes(method) && r.path.test(path));
}
