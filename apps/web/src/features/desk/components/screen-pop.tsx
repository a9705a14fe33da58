import type { Role } from '@switchboard/shared';
import { Button } from '../../../components/button';
import { useScreenPop } from '../hooks/use-screen-pop';

/**
 * Opens the customer window for queue calls and, when the browser blocked it, explains how to allow
 * pop-ups with a button that opens it now.
 */
export function ScreenPop({ viewer }: { viewer: { id: number; role: Role } }) {
  const { blockedCallId, openBlocked, dismiss } = useScreenPop(viewer);
  if (!blockedCallId) return null;
  const origin = window.location.origin;
  return (
    <div
      role="alert"
      aria-labelledby="screen-pop-title"
      className="fixed right-4 bottom-4 z-40 w-full max-w-md rounded-lg bg-white p-4 text-sm shadow-lg ring-1 ring-amber-300"
    >
      <h2 id="screen-pop-title" className="font-semibold text-amber-900">
        The customer window was blocked
      </h2>
      <p className="mt-1 text-slate-700">
        Your browser blocked the customer window of this queue call. Open it with the button below. So that it
        opens by itself next time, click the “Pop-up blocked” icon at the right of the address bar, tick
        “Always allow pop-ups from {origin}” and click Done.
      </p>
      <div className="mt-3 flex justify-end gap-2">
        <Button variant="secondary" onClick={dismiss}>
          Dismiss
        </Button>
        <Button onClick={openBlocked}>Open customer window</Button>
      </div>
    </div>
  );
}
