import { type CurrentUser, maskNumber, masksFor } from '@switchboard/shared';
import type { Context } from 'hono';
import { ApiError } from '../api-error';
import type { AppEnv } from '../app-env';
import type { AppDeps } from '../deps';

export interface Viewer {
  user: CurrentUser;
  /** Agents are limited to their own records; supervisors and admins see everyone's. */
  seesAll: boolean;
  /** Whether numbers are masked for this viewer. */
  masked: boolean;
  mask(n: string): string;
  maskNullable(n: string | null): string | null;
}

/** The signed-in desk user with their record scope and number masker (routes sit behind requireRole). */
export async function viewerOf(c: Context<AppEnv>, deps: AppDeps): Promise<Viewer> {
  const user = c.get('user');
  if (!user) throw ApiError.unauthenticated();
  const masking = await deps.settings.numberMasking();
  const masked = masksFor(user.role, masking);
  const mask = (n: string) => (masked ? maskNumber(n, masking) : n);
  return {
    user,
    seesAll: user.role !== 'agent',
    masked,
    mask,
    maskNullable: (n) => (n === null ? null : mask(n)),
  };
}
