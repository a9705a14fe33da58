import { Button } from '../../../components/button';

/** The bar after a call: why it ended and with whom, until dismissed. */
export function EndedCallBar({
  reason,
  party,
  readOnly,
  onDismiss,
}: {
  reason: string | null;
  party: string;
  readOnly: boolean;
  onDismiss: () => void;
}) {
  return (
    <section
      aria-label="Call ended"
      className="sticky top-0 z-40 flex items-center justify-between gap-4 bg-slate-700 px-6 py-2 text-white"
    >
      <p className="text-sm" role="status">
        {reason ?? 'Call ended'} · {party}
      </p>
      {readOnly ? null : (
        <Button variant="ghost" className="text-white hover:bg-white/10" onClick={onDismiss}>
          Dismiss
        </Button>
      )}
    </section>
  );
}
