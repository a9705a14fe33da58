import type { Role } from '@switchboard/shared';
import type { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Who may call an operation: a desk role (and the roles above it), a signed-in portal subscriber, or anyone. */
export type Access = Role | 'subscriber' | 'public';

/**
 * One API operation as the published document describes it. `body`, `query` and `params` are the very
 * zod schemas the route hands to parseBody / parseQuery / parseParams: tests hold the routes to them.
 */
export interface OperationSpec {
  method: HttpMethod;
  /** OpenAPI form, under /api: `/customers/{id}`. */
  path: string;
  summary: string;
  description?: string;
  access: Access;
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
  /** A request body that is not JSON (uploads). */
  upload?: 'text/csv' | 'multipart/form-data' | 'text/plain';
  response?: { status?: number; description: string; schema?: z.ZodType; contentType?: string };
}

export interface Operation extends OperationSpec {
  tag: string;
}

export function defineOperations(tag: string, ops: OperationSpec[]): Operation[] {
  return ops.map((op) => ({ ...op, tag }));
}
