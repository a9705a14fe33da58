import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { useDialer } from '../../../lib/dialer';
import { appendDialKey, isDialable, normalizeDialInput } from '../lib/dial-input';
import { Keypad } from './keypad';

/** Number field (typed or pasted, formatting stripped), the 12 keys, and Call. */
export function DialPad({ onPlaced }: { onPlaced: () => void }) {
  const dialer = useDialer();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!isDialable(value)) {
      setError('Enter a number to call');
      return;
    }
    setPending(true);
    setError(null);
    dialer
      .dial(value)
      .then(onPlaced)
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)))
      .finally(() => setPending(false));
  };

  return (
    <form
      role="dialog"
      aria-label="Dial pad"
      onSubmit={submit}
      className="w-64 space-y-3 rounded-xl bg-white p-4 shadow-xl ring-1 ring-slate-200"
    >
      <div className="flex items-center gap-1">
        <label htmlFor="dial-number" className="sr-only">
          Number to call
        </label>
        <input
          id="dial-number"
          autoFocus
          inputMode="tel"
          autoComplete="off"
          value={value}
          onChange={(e) => setValue(normalizeDialInput(e.target.value))}
          placeholder="Number or extension"
          className="min-w-0 flex-1 rounded-md border-0 px-2 py-2 text-center font-mono text-lg tracking-wide ring-1 ring-slate-300 focus:ring-2 focus:ring-brand-600"
        />
        <button
          type="button"
          aria-label="Delete last digit"
          onClick={() => setValue((v) => v.slice(0, -1))}
          className="rounded-md px-2 py-2 text-slate-500 hover:bg-slate-100"
        >
          ⌫
        </button>
      </div>
      <Keypad label="Dial pad keys" onKey={(k) => setValue((v) => appendDialKey(v, k))} />
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : !dialer.ready && dialer.reason ? (
        <p className="text-xs text-slate-500">{dialer.reason}</p>
      ) : null}
      <Button type="submit" className="w-full" disabled={pending || !dialer.ready || !isDialable(value)}>
        {pending ? 'Calling…' : 'Call'}
      </Button>
    </form>
  );
}
