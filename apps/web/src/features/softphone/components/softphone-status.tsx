import { useEffect, useRef, useState } from 'react';
import { Button } from '../../../components/button';
import { useSoftphone } from '../hooks/use-softphone';
import { AudioSettingsDialog } from './audio-settings-dialog';
import { DialPad } from './dial-pad';

const pill =
  'inline-flex items-center gap-1.5 rounded-full px-2.5 py-1 text-xs font-medium ring-1 ring-inset';
const dot = (color: string) => <span aria-hidden="true" className={`h-2 w-2 rounded-full ${color}`} />;

/** Top bar: the softphone status pill and the dial-pad button (top right). */
export function SoftphoneStatus() {
  const phone = useSoftphone();
  if (phone.mode === 'none') return null;
  if (phone.mode === 'sip') {
    return (
      <span
        data-testid="softphone-status"
        className={`${pill} ${phone.deskPhone === 'registered' ? 'bg-emerald-50 text-emerald-800 ring-emerald-200' : 'bg-amber-50 text-amber-900 ring-amber-200'}`}
      >
        {dot(phone.deskPhone === 'registered' ? 'bg-emerald-500' : 'bg-amber-500')}
        {phone.deskPhone === 'registered' ? 'Desk phone registered' : 'Desk phone not registered'}
      </span>
    );
  }
  return (
    <div className="flex items-center gap-2">
      <WebStatusPill />
      {phone.ownership === 'owner' ? <AudioSettingsButton /> : null}
      {phone.ownership === 'owner' ? <DialPadButton /> : null}
    </div>
  );
}

function WebStatusPill() {
  const phone = useSoftphone();
  if (phone.ownership === 'elsewhere')
    return (
      <span className="flex items-center gap-2">
        <span data-testid="softphone-status" className={`${pill} bg-slate-100 text-slate-700 ring-slate-200`}>
          {dot('bg-slate-400')}Softphone active in another tab
        </span>
        <Button variant="secondary" size="sm" onClick={phone.takeOver}>
          Use here
        </Button>
      </span>
    );
  const reg = phone.snapshot?.registration;
  if (phone.setupError || reg?.kind === 'offline') {
    const reason = phone.setupError ?? (reg?.kind === 'offline' ? reg.reason : '');
    return (
      <span className="flex items-center gap-2">
        <span
          data-testid="softphone-status"
          title={reason}
          className={`${pill} max-w-96 bg-red-50 text-red-800 ring-red-200`}
        >
          {dot('bg-red-500')}
          <span className="truncate">Offline: {reason}</span>
        </span>
        <Button variant="ghost" size="sm" onClick={phone.retryNow}>
          Retry
        </Button>
      </span>
    );
  }
  if (reg?.kind === 'registered')
    return (
      <span
        data-testid="softphone-status"
        className={`${pill} bg-emerald-50 text-emerald-800 ring-emerald-200`}
      >
        {dot('bg-emerald-500')}Registered
      </span>
    );
  return (
    <span data-testid="softphone-status" className={`${pill} bg-amber-50 text-amber-900 ring-amber-200`}>
      {dot('animate-pulse bg-amber-500')}
      {reg?.kind === 'connecting' && reg.attempt > 0 ? 'Reconnecting…' : 'Connecting…'}
    </span>
  );
}

function AudioSettingsButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        aria-label="Audio settings"
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
        className="flex h-9 w-9 items-center justify-center rounded-full text-slate-600 ring-1 ring-slate-300 hover:bg-slate-100"
      >
        <svg viewBox="0 0 20 20" fill="currentColor" className="h-5 w-5" aria-hidden="true">
          <path d="M10 1a3 3 0 0 0-3 3v6a3 3 0 1 0 6 0V4a3 3 0 0 0-3-3Z" />
          <path d="M5.5 9.25a.75.75 0 0 0-1.5 0V10a6 6 0 0 0 5.25 5.95v1.55H7a.75.75 0 0 0 0 1.5h6a.75.75 0 0 0 0-1.5h-2.25v-1.55A6 6 0 0 0 16 10v-.75a.75.75 0 0 0-1.5 0V10a4.5 4.5 0 0 1-9 0v-.75Z" />
        </svg>
      </button>
      <AudioSettingsDialog open={open} onClose={() => setOpen(false)} />
    </>
  );
}

function DialPadButton() {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  return (
    <div ref={ref} className="relative">
      <button
        type="button"
        aria-label="Dial pad"
        aria-expanded={open}
        aria-haspopup="dialog"
        onClick={() => setOpen((o) => !o)}
        className="flex h-9 w-9 items-center justify-center rounded-full bg-brand-600 text-white hover:bg-brand-700"
      >
        <svg viewBox="0 0 20 20" fill="currentColor" className="h-5 w-5" aria-hidden="true">
          <path d="M3.5 2A1.5 1.5 0 0 0 2 3.5V5c0 7.18 5.82 13 13 13h1.5a1.5 1.5 0 0 0 1.5-1.5v-1.65a1.5 1.5 0 0 0-1.1-1.45l-2.84-.8a1.5 1.5 0 0 0-1.56.48l-.85 1.03a10.02 10.02 0 0 1-5.36-5.36l1.03-.85a1.5 1.5 0 0 0 .48-1.56l-.8-2.84A1.5 1.5 0 0 0 6.65 2H3.5Z" />
        </svg>
      </button>
      {open ? (
        <div className="absolute top-full right-0 z-50 mt-2">
          <DialPad onPlaced={() => setOpen(false)} />
        </div>
      ) : null}
    </div>
  );
}
