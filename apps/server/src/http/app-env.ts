import type { CurrentUser } from '@switchboard/shared';

export type AppEnv = {
  Variables: {
    user: CurrentUser | null;
    sessionToken: string | null;
    subscriberId: number | null;
    portalToken: string | null;
  };
};
