import { errorCodes } from '@switchboard/shared';
import { ApiError } from '../http/api-error';
import { AccountError } from './subscriber-accounts';

/** An AccountError as the API answers it (400 naming the field, 404, 409); anything else unchanged. */
export function toApiError(err: unknown): unknown {
  if (!(err instanceof AccountError)) return err;
  const details = err.field ? { fields: [{ field: err.field, message: err.message }] } : undefined;
  const message = err.field ? `${err.field}: ${err.message}` : err.message;
  if (err.status === 404) return new ApiError(404, errorCodes.notFound, err.message);
  if (err.status === 409) return new ApiError(409, errorCodes.conflict, message, details);
  return new ApiError(400, err.field ? errorCodes.validation : errorCodes.badRequest, message, details);
}

/** Runs an account operation, answering its refusals as API errors. */
export async function accountCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toApiError(err);
  }
}
