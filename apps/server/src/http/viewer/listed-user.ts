import { ApiError } from '../api-error';
import type { Viewer } from './index';

/**
 * Whose records a list shows: an agent's lists are always their own (asking for another user's is
 * refused with `refusal`); a supervisor sees the user they ask for, or everyone's when they name none.
 */
export function listedUserFor(
  viewer: Viewer,
  asked: number | undefined,
  refusal: string,
): number | undefined {
  if (!viewer.seesAll && asked !== undefined && asked !== viewer.user.id) throw ApiError.forbidden(refusal);
  return viewer.seesAll ? asked : viewer.user.id;
}
