import { ApiRequestError } from './api-client';

/**
 * The server's per-field messages of a 400, or of a 409 (a value someone else has), from
 * `details.fields`, keyed by field path such as `phones.1`.
 */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  if (!(error instanceof ApiRequestError) || (error.status !== 400 && error.status !== 409)) return {};
  const fields = (error.details as { fields?: { field: string; message: string }[] } | undefined)?.fields;
  const out: Record<string, string> = {};
  for (const f of fields ?? []) out[f.field] ??= f.message;
  return out;
}

/** A sentence for an error that no field shows. */
export function errorMessage(error: unknown, fallback = 'Something went wrong. Try again.'): string {
  return error instanceof ApiRequestError ? error.message : error instanceof Error ? error.message : fallback;
}
