import { useState } from 'react';
import { useSendDtmf } from '../api/send-dtmf';
import { callControlError } from '../lib/messages';

const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

/** Tones to the other party through the switch (a desk phone's own keypad works too). */
export function DtmfKeypad({ callId }: { callId: string }) {
  const dtmf = useSendDtmf();
  const [sent, setSent] = useState('');
  const send = (key: string) => {
    dtmf.mutate({ callId, digits: key }, { onSuccess: () => setSent((s) => (s + key).slice(-16)) });
  };
  return (
    // Typing a digit while a key has focus sends it too: quicker for an IVR menu or a PIN.
    // biome-ignore lint/a11y/noStaticElementInteractions: the keys inside are the interactive elements; this only listens
    <div
      className="w-56"
      onKeyDown={(e) => {
        if (e.altKey || e.ctrlKey || e.metaKey || !keys.includes(e.key)) return;
        e.preventDefault();
        send(e.key);
      }}
    >
      <fieldset aria-label="Send tones" className="m-0 grid grid-cols-3 gap-2 border-0 p-0">
        {keys.map((k) => (
          <button
            key={k}
            type="button"
            onClick={() => send(k)}
            aria-label={k === '*' ? 'star' : k === '#' ? 'pound' : k}
            className="h-11 rounded-lg bg-slate-100 text-lg font-semibold text-slate-800 hover:bg-slate-200 focus-visible:outline-2 focus-visible:outline-brand-600 active:bg-slate-300"
          >
            {k}
          </button>
        ))}
      </fieldset>
      <p className="mt-2 min-h-5 font-mono text-sm text-slate-600" aria-live="polite" data-testid="dtmf-sent">
        {sent ? `Sent ${sent}` : ''}
      </p>
      {dtmf.error ? (
        <p role="alert" className="text-sm text-red-700">
          {callControlError(dtmf.error)}
        </p>
      ) : null}
    </div>
  );
}
