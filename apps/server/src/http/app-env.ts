import type { CurrentUser } from '@switchboard/shared';
import type { ForwardedClient } from './trusted-proxies';

export type AppEnv = {
  Variables: {
    user: CurrentUser | null;
    sessionToken: string | null;
    subscriberId: number | null;
    portalToken: string | null;
    /** The client behind the trusted proxies (client-address.ts). */
    client: ForwardedClient;
  };
};
