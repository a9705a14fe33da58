import type { ReactNode, Ref } from 'react';
import { Button } from '../../../components/button';

/** The incoming-call bar: the caller, with Answer and Decline in the tab that owns the softphone. */
export function IncomingCallBar({
  who,
  readOnly,
  busy,
  answerButton,
  onAnswer,
  onDecline,
}: {
  who: ReactNode;
  readOnly: boolean;
  busy: boolean;
  answerButton: Ref<HTMLButtonElement>;
  onAnswer: () => void;
  onDecline: () => void;
}) {
  return (
    <section
      aria-label="Incoming call"
      role="alertdialog"
      className="sticky top-0 z-40 flex items-center justify-between gap-4 bg-emerald-600 px-6 py-3 text-white shadow"
    >
      <p className="text-sm">
        <span className="mr-2 animate-pulse">●</span>Incoming call from {who}
        {readOnly ? <span className="ml-2 text-xs opacity-80">(ringing in your other tab)</span> : null}
      </p>
      {readOnly ? null : (
        <div className="flex gap-2">
          <Button
            ref={answerButton}
            variant="secondary"
            onClick={onAnswer}
            disabled={busy}
            aria-keyshortcuts="Alt+A"
          >
            Answer
          </Button>
          <Button variant="danger" onClick={onDecline} disabled={busy}>
            Decline
          </Button>
        </div>
      )}
    </section>
  );
}
