import { z } from 'zod';

/**
 * What a server-to-server API token may do. A token acts as one user (their role, their queues, the
 * numbers they may see), and only on the routes its scopes name (docs/integrations.md).
 */
export const apiTokenScopes = [
  'cdr:read',
  'recordings:read',
  'customers:read',
  'customers:write',
  'calls:dial',
  'dial_tasks:read',
  'dial_tasks:write',
  'callback_plans:read',
  'callback_plans:write',
  'queues:read',
  'campaigns:read',
  'campaigns:write',
] as const;
export type ApiTokenScope = (typeof apiTokenScopes)[number];

export const apiTokenScopeLabels: Record<ApiTokenScope, string> = {
  'cdr:read': 'Read call records',
  'recordings:read': 'Read and download recordings',
  'customers:read': 'Read customers',
  'customers:write': 'Create, change and delete customers',
  'calls:dial': 'Click-to-dial',
  'dial_tasks:read': 'Read dial tasks',
  'dial_tasks:write': 'Create, import and change dial tasks',
  'callback_plans:read': 'Read callback plans',
  'callback_plans:write': 'Create and change callback plans',
  'queues:read': 'Read queues, waiting calls and the wallboard',
  'campaigns:read': 'Read campaigns, their tasks and figures',
  'campaigns:write': 'Create, change, start and pause campaigns',
};

export const apiTokenCreateSchema = z
  .object({
    name: z.string({ error: 'Name the token' }).trim().min(1, 'Name the token').max(100),
    scopes: z
      .array(z.enum(apiTokenScopes, { error: 'Unknown scope' }), { error: 'Choose at least one scope' })
      .min(1, 'Choose at least one scope'),
    /** The user whose permissions the token has; the administrator creating it when not given. */
    actsAsUserId: z.number().int().positive().optional(),
    /** Days until it expires (1–730); null: never. */
    expiresInDays: z.number().int().min(1, 'At least 1 day').max(730, 'At most 730 days').nullable(),
    /** Requests a minute before it gets 429. */
    requestsPerMinute: z.number().int().min(1).max(60_000).default(600),
  })
  .strict();
export type ApiTokenCreateRequest = z.input<typeof apiTokenCreateSchema>;

export interface ApiToken {
  id: number;
  name: string;
  /** The first characters of the secret, to tell tokens apart. */
  prefix: string;
  scopes: ApiTokenScope[];
  actsAs: { id: number; displayName: string; role: string };
  requestsPerMinute: number;
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
  createdAt: number;
  createdBy: string | null;
}

/** The secret is in this answer only; the server keeps its hash. */
export interface ApiTokenCreated {
  token: ApiToken;
  secret: string;
}
