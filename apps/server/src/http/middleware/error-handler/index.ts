import { errorCodes } from '@switchboard/shared';
import type { ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from '../../../observability/logger';
import { ApiError } from '../../api-error';

export function apiErrorHandler(logger: Logger): ErrorHandler {
  return (err, c) => {
    if (err instanceof ApiError) {
      const body = {
        error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
      };
      return c.json(body, err.status, err.headers);
    }
    if (err instanceof HTTPException) {
      const status = err.status;
      const code =
        status === 413 ? 'payload_too_large' : status >= 500 ? errorCodes.internal : errorCodes.badRequest;
      return c.json({ error: { code, message: err.message || 'Bad request' } }, status);
    }
    logger.error({ err, path: c.req.path, method: c.req.method }, 'unhandled error in request');
    return c.json(
      { error: { code: errorCodes.internal, message: 'Something went wrong on the server' } },
      500,
    );
  };
}

export const apiNotFound: NotFoundHandler = (c) =>
  c.json(
    { error: { code: errorCodes.notFound, message: `No API route ${c.req.method} ${c.req.path}` } },
    404,
  );
