import { z } from 'zod';

/** Every API error has this shape, whatever the status. */
export const apiErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

export const errorCodes = {
  badRequest: 'bad_request',
  validation: 'validation_failed',
  unauthenticated: 'unauthenticated',
  forbidden: 'forbidden',
  notFound: 'not_found',
  conflict: 'conflict',
  throttled: 'too_many_attempts',
  insufficientCredit: 'insufficient_credit',
  crossOrigin: 'cross_origin_refused',
  internal: 'internal_error',
} as const;
