import { errorCodes } from '@switchboard/shared';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** An error the API answers as `{ error: { code, message, details? } }` with its status. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static badRequest(message: string, details?: unknown) {
    return new ApiError(400, errorCodes.badRequest, message, details);
  }
  static unauthenticated(message = 'Sign in to continue') {
    return new ApiError(401, errorCodes.unauthenticated, message);
  }
  static forbidden(message = 'Your role may not do this') {
    return new ApiError(403, errorCodes.forbidden, message);
  }
  static notFound(message = 'Not found') {
    return new ApiError(404, errorCodes.notFound, message);
  }
  static conflict(message: string, details?: unknown) {
    return new ApiError(409, errorCodes.conflict, message, details);
  }
}
