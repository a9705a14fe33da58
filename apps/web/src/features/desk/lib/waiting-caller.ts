import type { WaitingCall } from '@switchboard/shared';

/** Who is waiting, as the announcements and the row's labels say it. */
export const waitingCaller = (c: WaitingCall) =>
  `${c.callback ? 'Callback to ' : ''}${c.callerName ?? c.callerNumber ?? 'Unknown caller'}`;
