import type { CurrentUser } from '@switchboard/shared';
import { browserTimeZone } from './format';

/**
 * The signed-in user as the desk uses them: `timeZone` is the zone every date is shown and read in
 * (the one they chose, else the browser's); `chosenTimeZone` is what they chose (null: none yet).
 */
export type DeskUser = Omit<CurrentUser, 'timeZone'> & { timeZone: string; chosenTimeZone: string | null };

export function toDeskUser(user: CurrentUser): DeskUser {
  return { ...user, timeZone: user.timeZone ?? browserTimeZone(), chosenTimeZone: user.timeZone };
}
