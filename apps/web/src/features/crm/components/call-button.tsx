import { useId } from 'react';
import { Button } from '../../../components/button';

export const callsUnavailable = 'Calls are not available yet';

/**
 * Dials a customer's phone by its id. The softphone has not landed, so the button says so plainly
 * instead of pretending to call.
 */
export function CallButton({ label = 'Call', phoneLabel }: { label?: string; phoneLabel?: string }) {
  const id = useId();
  return (
    <span className="inline-flex items-center" title={callsUnavailable}>
      <Button
        variant="secondary"
        size="sm"
        disabled
        aria-describedby={id}
        aria-label={phoneLabel ? `${label} ${phoneLabel}` : label}
      >
        <svg viewBox="0 0 20 20" fill="currentColor" className="h-4 w-4" aria-hidden="true">
          <path d="M2 3.5A1.5 1.5 0 0 1 3.5 2h1.148a1.5 1.5 0 0 1 1.465 1.175l.513 2.31a1.5 1.5 0 0 1-1.052 1.767l-.933.267c-.41.117-.643.555-.48.95a11.542 11.542 0 0 0 6.254 6.254c.395.163.833-.07.95-.48l.267-.933a1.5 1.5 0 0 1 1.767-1.052l2.31.513A1.5 1.5 0 0 1 18 15.352V16.5a1.5 1.5 0 0 1-1.5 1.5H15c-7.18 0-13-5.82-13-13V3.5Z" />
        </svg>
        {label}
      </Button>
      <span id={id} className="sr-only">
        {callsUnavailable}
      </span>
    </span>
  );
}
