import { useHotkey } from '../../../lib/hotkeys';
import type { CallView } from '../lib/engine-types';
import type { SoftphoneContextValue } from './use-softphone';

/**
 * The call keyboard shortcuts (answer, decline, hang up, mute, hold): each acts only when the call
 * is in a state for it and this tab owns the softphone, and says whether it acted.
 */
export function useCallHotkeys(
  phone: SoftphoneContextValue,
  call: CallView | null,
  { ringing, established, readOnly }: { ringing: boolean; established: boolean; readOnly: boolean },
): void {
  const act = (when: boolean, fn: () => Promise<void> | void) => {
    if (!when || readOnly) return false;
    void Promise.resolve(fn()).catch((err: unknown) => console.error(err));
    return true;
  };
  useHotkey('answer', () => act(ringing, phone.answer));
  useHotkey('decline', () => act(ringing, phone.decline));
  useHotkey('hangUp', () => act(!!call && call.state !== 'ended' && !ringing, phone.hangUp));
  useHotkey('mute', () => act(established, () => phone.setMuted(!call?.muted)));
  useHotkey('hold', () => act(established && !call?.holdPending, () => phone.setHeld(!call?.held)));
}
