import { errorCodes } from '@switchboard/shared';
import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError } from './api-error';

export type ValidationPart = 'body' | 'query' | 'params';

/** Told of every validation with the route it serves; tests use it to hold routes to the API document. */
export type ValidationObserver = (
  method: string,
  routePath: string,
  where: ValidationPart,
  schema: z.ZodType,
) => void;

// Only tests install one: outside them each parse pays a single null check.
let observer: ValidationObserver | null = null;

export function setValidationObserver(fn: ValidationObserver | null): void {
  observer = fn;
}

/** A 400 naming every field at fault; its message names the first. */
export function fieldsError(fields: { field: string; message: string }[]): ApiError {
  const first = fields[0]!;
  return new ApiError(400, errorCodes.validation, `${first.field}: ${first.message}`, { fields });
}

/** A 400 naming the one field at fault, like a failed zod check. */
export function fieldError(field: string, message: string): ApiError {
  return fieldsError([{ field, message }]);
}

function validationError(where: ValidationPart, error: z.ZodError): ApiError {
  return fieldsError(error.issues.map((i) => ({ field: i.path.join('.') || where, message: i.message })));
}

/** Parses the JSON body with a shared zod schema; a bad body is a 400 naming the field. */
export async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  observer?.(c.req.method, c.req.routePath, 'body', schema);
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw ApiError.badRequest('The request body must be JSON');
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw validationError('body', result.error);
  return result.data;
}

export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  observer?.(c.req.method, c.req.routePath, 'query', schema);
  const result = schema.safeParse(c.req.query());
  if (!result.success) throw validationError('query', result.error);
  return result.data;
}

export function parseParams<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  observer?.(c.req.method, c.req.routePath, 'params', schema);
  const result = schema.safeParse(c.req.param());
  if (!result.success) throw validationError('params', result.error);
  return result.data;
}
