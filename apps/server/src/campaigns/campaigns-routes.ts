import {
  campaignCreateSchema,
  campaignTaskAddSchema,
  campaignTaskListQuerySchema,
  campaignTaskResultSchema,
  campaignUpdateSchema,
} from '@switchboard/shared';
import { Hono } from 'hono';
import type { z } from 'zod';
import { DialTaskStore } from '../dial-tasks/dial-task-store';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { parseBody, parseParams, parseQuery } from '../http/validate';
import { viewerOf } from '../http/viewer';
import { customerSourceRoutes } from './campaign-customer-source';
import { campaignLastHour } from './campaign-last-hour';
import { idParams, taskParams } from './campaign-params';
import type { CampaignValues } from './campaign-store';

type CampaignUpdate = z.output<typeof campaignUpdateSchema>;

/**
 * Outbound campaigns: supervisors create them from dial tasks, start and pause them; agents who may
 * work one join and leave it from the desk, take preview tasks and set each call's result. The
 * dialling itself is `CampaignDialing`'s (deps.campaigns).
 */
export function campaignsRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.use('/campaigns', requireRole('agent'));
  app.use('/campaigns/*', requireRole('agent'));
  const changed = (id: number) => {
    deps.campaigns.dialing.kick();
    void deps.campaigns.dialing
      .publish(id)
      .catch((err) => deps.logger.warn({ err }, 'campaign figures not published'));
  };
  campaignRoutes(app, deps, changed);
  stateRoutes(app, deps, changed);
  agentRoutes(app, deps, changed);
  taskRoutes(app, deps, changed);
  customerSourceRoutes(app, deps, changed);
  return app;
}

type Changed = (id: number) => void;

/** The campaigns themselves: list, create, read, edit. */
function campaignRoutes(app: Hono<AppEnv>, deps: AppDeps, changed: Changed) {
  const { store } = deps.campaigns;

  app.get('/campaigns', async (c) => {
    const viewer = await viewerOf(c, deps);
    const ids = await store.listIds(viewer);
    const campaigns = [];
    for (const id of ids) campaigns.push(await store.load(viewer, id));
    return c.json({ campaigns });
  });

  app.post('/campaigns', requireRole('supervisor'), async (c) => {
    const body = await parseBody(c, campaignCreateSchema);
    const viewer = await viewerOf(c, deps);
    const id = await store.create(
      {
        name: body.name,
        mode: body.mode,
        queue_id: body.queueId ?? null,
        caller_id: body.callerId,
        max_attempts: body.maxAttempts,
        retry_delays: body.retryDelaySeconds,
        calling_from: body.callingHours?.from ?? null,
        calling_to: body.callingHours?.to ?? null,
        abandon_cap: body.abandonCapPercent,
        abandon_prompt: body.abandonPrompt,
      },
      body.agentIds,
      viewer.user.id,
    );
    return c.json({ campaign: await store.load(viewer, id) }, 201);
  });

  app.get('/campaigns/:id', async (c) => {
    const { id } = parseParams(c, idParams);
    const viewer = await viewerOf(c, deps);
    await store.find(viewer, id);
    return c.json({ campaign: await store.load(viewer, id) });
  });

  app.get('/campaigns/:id/last-hour', requireRole('supervisor'), async (c) => {
    const { id } = parseParams(c, idParams);
    await store.find(await viewerOf(c, deps), id);
    return c.json(await campaignLastHour(deps.db, id));
  });

  app.patch('/campaigns/:id', requireRole('supervisor'), async (c) => {
    const { id } = parseParams(c, idParams);
    const body = await parseBody(c, campaignUpdateSchema);
    const viewer = await viewerOf(c, deps);
    await store.find(viewer, id);
    await store.update(id, updateValues(body), body.agentIds, viewer.user.id);
    changed(id);
    return c.json({ campaign: await store.load(viewer, id) });
  });
}

/** The request's fields as the columns they change (absent: unchanged). */
function updateValues(body: CampaignUpdate): Partial<CampaignValues> {
  const v: Partial<CampaignValues> = {};
  if (body.name !== undefined) v.name = body.name;
  if (body.mode !== undefined) v.mode = body.mode;
  if (body.queueId !== undefined) v.queue_id = body.queueId;
  if (body.callerId !== undefined) v.caller_id = body.callerId;
  if (body.maxAttempts !== undefined) v.max_attempts = body.maxAttempts;
  if (body.retryDelaySeconds !== undefined) v.retry_delays = body.retryDelaySeconds;
  if (body.callingHours !== undefined) {
    v.calling_from = body.callingHours?.from ?? null;
    v.calling_to = body.callingHours?.to ?? null;
  }
  if (body.abandonCapPercent !== undefined) v.abandon_cap = body.abandonCapPercent;
  if (body.abandonPrompt !== undefined) v.abandon_prompt = body.abandonPrompt;
  return v;
}

/** A campaign's tasks (supervisors), preview's next task and Call, and the call bar's result. */
function taskRoutes(app: Hono<AppEnv>, deps: AppDeps, changed: Changed) {
  const { store } = deps.campaigns;

  app.get('/campaigns/:id/tasks', requireRole('supervisor'), async (c) => {
    const { id } = parseParams(c, idParams);
    const query = parseQuery(c, campaignTaskListQuerySchema);
    const viewer = await viewerOf(c, deps);
    await store.find(viewer, id);
    return c.json(await store.tasks(viewer, id, query));
  });

  app.post('/campaigns/:id/tasks', requireRole('supervisor'), async (c) => {
    const { id } = parseParams(c, idParams);
    const body = await parseBody(c, campaignTaskAddSchema);
    const viewer = await viewerOf(c, deps);
    await store.find(viewer, id);
    const added = await store.addTasks(id, body.taskIds, viewer.user.id);
    changed(id);
    return c.json({ added, campaign: await store.load(viewer, id) }, 201);
  });
  previewRoutes(app, deps);
}

/** Start and pause. */
function stateRoutes(app: Hono<AppEnv>, deps: AppDeps, changed: Changed) {
  const { store } = deps.campaigns;
  for (const [action, from, to] of [
    ['start', ['draft', 'paused'], 'running'],
    ['pause', ['running'], 'paused'],
  ] as const) {
    app.post(`/campaigns/:id/${action}`, requireRole('supervisor'), async (c) => {
      const { id } = parseParams(c, idParams);
      const viewer = await viewerOf(c, deps);
      const row = await store.find(viewer, id);
      if (action === 'start' && (await store.openTasks(id)) === 0) {
        throw ApiError.conflict('The campaign has no task left to dial: add dial tasks first');
      }
      if (!(await store.setState(id, [...from], to, viewer.user.id))) {
        throw ApiError.conflict(
          `A ${row.state} campaign cannot be ${action === 'start' ? 'started' : 'paused'}`,
        );
      }
      changed(id);
      return c.json({ campaign: await store.load(viewer, id) });
    });
  }
}

/** Agents join and leave. */
function agentRoutes(app: Hono<AppEnv>, deps: AppDeps, changed: Changed) {
  const { store } = deps.campaigns;
  app.put('/campaigns/:id/agents/me', async (c) => {
    const { id } = parseParams(c, idParams);
    const viewer = await viewerOf(c, deps);
    const row = await store.find(viewer, id);
    if (!(await store.mayWork(viewer.user.id, row))) {
      throw ApiError.forbidden('You are not one of this campaign’s agents');
    }
    if (row.state === 'finished') throw ApiError.conflict('The campaign is finished');
    await store.join(id, viewer.user.id);
    changed(id);
    return c.json({ campaign: await store.load(viewer, id) });
  });

  app.delete('/campaigns/:id/agents/me', async (c) => {
    const { id } = parseParams(c, idParams);
    const viewer = await viewerOf(c, deps);
    await store.find(viewer, id);
    await store.leave(id, viewer.user.id);
    changed(id);
    return c.json({ campaign: await store.load(viewer, id) });
  });
}

function previewRoutes(app: Hono<AppEnv>, deps: AppDeps) {
  const { store, dialing } = deps.campaigns;
  /** Preview: the task reserved to the joined agent (reserving the next due one if they have none). */
  app.get('/campaigns/:id/next', async (c) => {
    const { id } = parseParams(c, idParams);
    const viewer = await viewerOf(c, deps);
    const row = await store.find(viewer, id);
    if (row.mode !== 'preview') throw ApiError.conflict('Only a preview campaign hands out its next task');
    if (row.state !== 'running') throw ApiError.conflict('The campaign is not running');
    if (!(await store.hasJoined(id, viewer.user.id))) throw ApiError.conflict('Join the campaign first');
    const taskId = await dialing.next(id, viewer.user.id);
    return c.json({ task: taskId === null ? null : await store.task(viewer, id, taskId) });
  });

  app.post('/campaigns/:id/tasks/:taskId/call', async (c) => {
    const { id, taskId } = parseParams(c, taskParams);
    const viewer = await viewerOf(c, deps);
    const row = await store.find(viewer, id);
    if (row.mode !== 'preview') throw ApiError.conflict('Progressive campaigns dial by themselves');
    const refused = await dialing.call(id, viewer.user.id, taskId);
    if (refused) throw ApiError.conflict(refused);
    return c.json({ task: await store.task(viewer, id, taskId) }, 202);
  });

  /** The call bar: the agent who had the task's call (or a supervisor) sets the task's result. */
  app.post('/campaigns/:id/tasks/:taskId/result', async (c) => {
    const { id, taskId } = parseParams(c, taskParams);
    const body = await parseBody(c, campaignTaskResultSchema);
    const viewer = await viewerOf(c, deps);
    await store.find(viewer, id);
    const task = await store.task(viewer, id, taskId);
    if (!viewer.seesAll && task.agent?.id !== viewer.user.id) {
      throw ApiError.forbidden('Only the agent who had this task’s call sets its result');
    }
    const tasks = new DialTaskStore(deps.db, deps.config.defaultCountry);
    const before = await tasks.findVisible({ ...viewer, seesAll: true }, taskId);
    await tasks.update(before, { result: body.result }, viewer.user.id);
    return c.json({ task: await store.task(viewer, id, taskId) });
  });
}
