import { type PortalSmsCallbackResponse, smsCallbackCommands } from '@switchboard/shared';
import { Hono } from 'hono';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireSubscriber } from '../http/middleware/require-role';

/**
 * `POST /api/sms/inbound`: the SMS gateway's webhook (no session; the body's HMAC with the
 * service's shared secret in `X-Signature: sha256=<hex>`). A bad signature is a 401 and nothing
 * happens.
 */
export function smsRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.post('/sms/inbound', async (c) => {
    const raw = await c.req.text();
    const result = await deps.smsCallback.onWebhook(raw, c.req.header('x-signature'));
    if (!result) throw ApiError.unauthenticated('Bad signature');
    return c.json(result);
  });

  /** The subscriber's SMS callback: the services' numbers, the commands, and the latest requests. */
  app.get('/portal/sms-callback', requireSubscriber, async (c) => {
    const store = deps.callbackServices.store;
    const body: PortalSmsCallbackResponse = {
      services: await store.smsServices(),
      commands: smsCallbackCommands.map((cmd) => ({ usage: cmd.usage, description: cmd.description })),
      requests: await store.smsRequestsOf(c.get('subscriberId')!, 20),
    };
    return c.json(body);
  });
  return app;
}
