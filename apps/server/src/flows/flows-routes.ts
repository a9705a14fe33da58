import {
  type FlowLiveResponse,
  type FlowPromptsResponse,
  type FlowPublishResponse,
  type FlowResponse,
  type FlowsResponse,
  type FlowTestCallResponse,
  type FlowVersionsResponse,
  flowCreateSchema,
  flowLiveQuerySchema,
  flowUpdateSchema,
  idParamSchema,
} from '@switchboard/shared';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { parseBody, parseParams, parseQuery } from '../http/validate';
import { placeTestCall } from './flow-calls';

export const versionParamsSchema = idParamSchema.extend({
  version: z.coerce
    .number({ error: 'Must be a number' })
    .int()
    .min(1)
    .max(2 ** 31 - 1),
});

/** Call flows (admin edits and publishes; supervisors may read them). */
export function flowsRoutes(deps: AppDeps) {
  const flows = deps.flows;
  const app = new Hono<AppEnv>();
  app.use('/admin/flows', requireRole('supervisor'));
  app.use('/admin/flows/*', requireRole('supervisor'));
  app.use('/admin/flow-prompts', requireRole('supervisor'));
  const admin = requireRole('admin');

  app.get('/admin/flow-prompts', (c) => c.json<FlowPromptsResponse>({ prompts: flows.prompts() }));
  app.get('/admin/flows', async (c) => c.json<FlowsResponse>({ flows: await flows.list() }));
  app.post('/admin/flows', admin, async (c) => {
    const input = await parseBody(c, flowCreateSchema);
    return c.json<FlowResponse>({ flow: await flows.create(input, c.get('user')!.id) }, 201);
  });
  app.get('/admin/flows/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    return c.json<FlowResponse>({ flow: await flows.get(id) });
  });
  app.put('/admin/flows/:id', admin, async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const input = await parseBody(c, flowUpdateSchema);
    return c.json<FlowResponse>({ flow: await flows.update(id, input, c.get('user')!.id) });
  });
  app.delete('/admin/flows/:id', admin, async (c) => {
    const { id } = parseParams(c, idParamSchema);
    await flows.delete(id, c.get('user')!.id);
    return c.body(null, 204);
  });
  app.post('/admin/flows/:id/publish', admin, async (c) => {
    const { id } = parseParams(c, idParamSchema);
    return c.json<FlowPublishResponse>(await flows.publish(id, c.get('user')!.id));
  });
  app.post('/admin/flows/:id/test-call', admin, async (c) => {
    const { id } = parseParams(c, idParamSchema);
    return c.json<FlowTestCallResponse>(
      await placeTestCall({ ...deps, callbacks: deps.callbackServices }, id, c.get('user')!.id),
      201,
    );
  });
  app.get('/admin/flows/:id/live', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const { version } = parseQuery(c, flowLiveQuerySchema);
    const flow = await flows.get(id);
    const counted = version === 'draft' ? null : (version ?? flow.publishedVersion);
    return c.json<FlowLiveResponse>(await flows.live(id, counted));
  });
  app.get('/admin/flows/:id/versions', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    return c.json<FlowVersionsResponse>({ versions: await flows.versions(id) });
  });
  app.post('/admin/flows/:id/versions/:version/restore', admin, async (c) => {
    const { id, version } = parseParams(c, versionParamsSchema);
    return c.json<FlowResponse>({ flow: await flows.restore(id, version, c.get('user')!.id) });
  });
  return app;
}
