import { readFile } from 'node:fs/promises';
import { idParamSchema } from '@switchboard/shared';
import { Hono } from 'hono';
import { z } from 'zod';
import { audit } from '../admin/admin-helpers';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import type { AppDeps } from '../http/deps';
import { requireRole } from '../http/middleware/require-role';
import { parseBody, parseParams, parseQuery } from '../http/validate';
import { SoundError } from './sound-library';

function toApiError(err: unknown): never {
  if (err instanceof SoundError) {
    const details = err.field ? { fields: [{ field: err.field, message: err.message }] } : undefined;
    if (err.status === 404) throw ApiError.notFound(err.message);
    if (err.status === 409) throw ApiError.conflict(err.message, details);
    throw ApiError.badRequest(err.message, details);
  }
  throw err;
}

export const updateSchema = z
  .object({ name: z.string().max(80).optional(), folder: z.string().max(200).optional() })
  .strict();
export const listQuery = z.object({ folder: z.string().max(200).optional() });
export const audioQuery = z.object({ download: z.enum(['0', '1']).optional() });

/**
 * `/api/admin/sounds`: upload (multipart `file`, `name`, `folder`), list, listen, download,
 * rename/move, delete; and the shipped prompts (list, listen).
 */
export function soundsRoutes(deps: AppDeps) {
  const sounds = deps.sounds;
  const app = new Hono<AppEnv>();
  app.use('/admin/sounds', requireRole('admin'));
  app.use('/admin/sounds/*', requireRole('admin'));

  app.get('/admin/sounds', async (c) => {
    const { folder } = parseQuery(c, listQuery);
    return c.json(await sounds.list(folder).catch(toApiError));
  });

  /** The shipped prompts a prompt setting can name, beside the uploaded sounds. */
  app.get('/admin/sounds/prompts', async (c) => c.json({ prompts: await sounds.builtInPrompts() }));

  app.get('/admin/sounds/prompts/:name/audio', async (c) => {
    const file = await sounds.builtInPromptFile(c.req.param('name'));
    if (!file) throw ApiError.notFound('No such prompt');
    return c.body(new Uint8Array(await readFile(file)), 200, {
      'content-type': 'audio/wav',
      'content-disposition': 'inline',
    });
  });

  app.post('/admin/sounds', async (c) => {
    const form = await c.req.parseBody().catch(() => {
      throw ApiError.badRequest('Send the sound as multipart/form-data with a file field');
    });
    const file = form.file;
    if (!(file instanceof File))
      throw ApiError.badRequest('file: Choose a sound file', {
        fields: [{ field: 'file', message: 'Choose a sound file' }],
      });
    const sound = await sounds
      .upload({
        data: Buffer.from(await file.arrayBuffer()),
        originalName: file.name || 'upload',
        name: typeof form.name === 'string' ? form.name : undefined,
        folder: typeof form.folder === 'string' ? form.folder : undefined,
      })
      .catch(toApiError);
    await audit(deps.db, c, { action: 'sound.upload', entity: 'sound', entityId: sound.id, after: sound });
    return c.json(sound, 201);
  });

  app.get('/admin/sounds/:id/audio', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const { download } = parseQuery(c, audioQuery);
    const s = await sounds.get(id);
    if (!s) throw ApiError.notFound('No such sound');
    const data = await readFile(s.path).catch(() => {
      throw ApiError.notFound('The sound file is missing');
    });
    const filename = `${s.name.replace(/[^A-Za-z0-9._-]/g, '_')}.wav`;
    return c.body(new Uint8Array(data), 200, {
      'content-type': 'audio/wav',
      'content-disposition': `${download === '1' ? 'attachment' : 'inline'}; filename="${filename}"`,
    });
  });

  app.put('/admin/sounds/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const input = await parseBody(c, updateSchema);
    const sound = await sounds.update(id, input).catch(toApiError);
    await audit(deps.db, c, { action: 'sound.update', entity: 'sound', entityId: id, after: input });
    return c.json(sound);
  });

  app.delete('/admin/sounds/:id', async (c) => {
    const { id } = parseParams(c, idParamSchema);
    const before = await sounds.remove(id).catch(toApiError);
    await audit(deps.db, c, { action: 'sound.delete', entity: 'sound', entityId: id, before });
    return c.body(null, 204);
  });
  return app;
}
