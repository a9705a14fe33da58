import type { Migration } from 'kysely';
import * as m0001 from './0001_initial_schema';

/** Ordered by name; a new migration is a new file added here, never an edit of an applied one. */
export const migrations: Record<string, Migration> = {
  '0001_initial_schema': m0001,
};
