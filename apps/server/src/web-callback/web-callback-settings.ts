import {
  defaultWebCallbackSettings,
  type WebCallbackSettings,
  webCallbackSettingsSchema,
} from '@switchboard/shared';
import type { Db } from '../db/database';
import { readSetting, writeSetting } from '../settings/settings-row';

const KEY = 'webCallback';

/** The web-callback service's settings, kept in the settings table; a value that no longer parses falls back to the default. */
export class WebCallbackSettingsStore {
  constructor(private readonly db: Db) {}

  get(): Promise<WebCallbackSettings> {
    return readSetting(this.db, KEY, webCallbackSettingsSchema, defaultWebCallbackSettings);
  }

  set(value: WebCallbackSettings, now = Date.now()): Promise<void> {
    return writeSetting(this.db, KEY, value, now);
  }
}
