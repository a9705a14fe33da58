import { errorCodes } from '@switchboard/shared';
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../../api-error';

/** The path of the first string holding a NUL character, or null. */
function nulAt(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'body' : null;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = nulAt(v, path ? `${path}.${i}` : String(i));
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const found = nulAt(k, path) ?? nulAt(v, path ? `${path}.${k}` : k);
      if (found) return found;
    }
  }
  return null;
}

const refuse = (field: string) =>
  new ApiError(400, errorCodes.validation, `${field}: NUL characters are not allowed`, {
    fields: [{ field, message: 'NUL characters are not allowed' }],
  });

/**
 * No text the API takes may hold a NUL character: PostgreSQL cannot store one in text (the insert
 * fails with a 500) and no name, number or note needs it. Checked once for the URL and JSON bodies.
 */
export const rejectNulBytes = createMiddleware(async (c, next) => {
  if (/%00/i.test(c.req.url) || c.req.url.includes('\u0000')) throw refuse('url');
  const type = c.req.header('content-type') ?? '';
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && /json/i.test(type)) {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      body = undefined; // not JSON after all: the route answers that itself
    }
    const field = nulAt(body, '');
    if (field) throw refuse(field);
  }
  await next();
});
