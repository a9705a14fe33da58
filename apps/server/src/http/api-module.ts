import type { Hono } from 'hono';
import type { AppEnv } from './app-env';
import type { AppDeps } from './deps';

/** Feature modules mount their API routes here; each brings its own role checks. */
export type ApiModule = (deps: AppDeps) => Hono<AppEnv>;
