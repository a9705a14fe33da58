import { type ReactNode, useId, useState } from 'react';
import { type CallReference, useDialer } from '../lib/dialer';
import { Button } from './button';

/**
 * A Call button wired to the app's dialer: by `reference` the switch dials the real number (so
 * masked numbers work); `number` is what the agent sees. Disabled while the dialer is not ready,
 * with the reason as its tooltip and description; a failed dial is shown next to it.
 */
export function DialButton({
  number,
  reference,
  label,
  children,
  variant = 'secondary',
}: {
  number: string;
  reference?: CallReference;
  /** Accessible name, e.g. "Call Acme on +1 202…". */
  label: string;
  children: ReactNode;
  variant?: 'secondary' | 'ghost';
}) {
  const dialer = useDialer();
  const id = useId();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reason = dialer.ready ? null : (dialer.reason ?? 'Calls are not possible right now');
  const describe = error ?? reason;
  return (
    <span className="inline-flex items-center gap-1.5" title={reason ?? undefined}>
      <Button
        variant={variant}
        size="sm"
        disabled={reason !== null || pending}
        aria-label={label}
        aria-describedby={describe ? id : undefined}
        onClick={() => {
          setPending(true);
          setError(null);
          dialer
            .dial(number, reference)
            .catch((err: unknown) =>
              setError(`The call failed: ${err instanceof Error ? err.message : String(err)}`),
            )
            .finally(() => setPending(false));
        }}
      >
        {children}
      </Button>
      {error ? (
        <span id={id} role="alert" className="text-xs text-red-700">
          {error}
        </span>
      ) : reason ? (
        <span id={id} className="sr-only">
          {reason}
        </span>
      ) : null}
    </span>
  );
}
