import type { WaitingCall } from '@switchboard/shared';
import type { DragEvent, KeyboardEvent } from 'react';
import { Badge } from '../../../components/badge';
import { formatDuration } from '../../../lib/format';
import { waitingCaller as who } from '../lib/waiting-caller';
import { WaitingCallActions } from './waiting-call-actions';

/** A callback placeholder: the caller hung up and keeps this place; they are called back when it is served. */
function CallbackMark({ callback }: { callback: NonNullable<WaitingCall['callback']> }) {
  const tries = callback.attempts > 0 ? ` · ${callback.attempts} tried` : '';
  return (
    <Badge tone={callback.status === 'calling' ? 'blue' : 'amber'}>
      {callback.status === 'calling' ? `Calling back${tries}` : `Callback${tries}`}
    </Badge>
  );
}

/** One waiting call: a focusable, draggable row with its place, caller, wait and buttons. */
export function WaitingCallRow({
  queueId,
  call,
  index,
  count,
  waitS,
  canAssign,
  dragging,
  dropIndex,
  setDragging,
  setDropIndex,
  onKeyDown,
  onDrop,
  moveTo,
  onAssign,
}: {
  queueId: number;
  call: WaitingCall;
  index: number;
  count: number;
  waitS: number;
  canAssign: boolean;
  dragging: string | null;
  dropIndex: number | null;
  setDragging: (callId: string | null) => void;
  setDropIndex: (index: number | null) => void;
  onKeyDown: (e: KeyboardEvent<HTMLLIElement>, index: number) => void;
  onDrop: (e: DragEvent, index: number) => void;
  moveTo: (from: number, to: number) => void;
  onAssign: (call: WaitingCall) => void;
}) {
  const last = index === count - 1;
  return (
    <li
      data-call-id={call.callId}
      data-testid="waiting-call"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a focusable row is what Alt+↑/↓ move (keyboard reordering)
      tabIndex={0}
      draggable
      aria-label={`${who(call)}${call.callback ? ' (callback placeholder, caller not on the line)' : ''}, position ${call.position}${call.position === 1 ? ', served next' : ''}`}
      onKeyDown={(e) => onKeyDown(e, index)}
      onDragStart={(e) => {
        setDragging(call.callId);
        e.dataTransfer.effectAllowed = 'move';
        e.dataTransfer.setData('text/plain', call.callId);
      }}
      onDragOver={(e) => {
        if (!dragging) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
        if (dropIndex !== index) setDropIndex(index);
      }}
      onDragEnd={() => {
        setDragging(null);
        setDropIndex(null);
      }}
      onDrop={(e) => onDrop(e, index)}
      className={`flex cursor-grab flex-wrap items-center gap-x-3 gap-y-2 px-3 py-2 text-sm outline-none focus-visible:bg-brand-50 focus-visible:ring-2 focus-visible:ring-brand-500 ${dragging === call.callId ? 'opacity-50' : ''} ${dropIndex === index && dragging !== call.callId ? 'bg-brand-50' : ''}`}
    >
      <span className="w-12 shrink-0 text-xs text-slate-500" data-testid="waiting-position">
        {last && call.position === 1 ? 'Next' : `#${call.position}`}
      </span>
      {/* Wide enough for a number and a short name; a long name is cut (whole in the tooltip), and
          on a narrow card the badge and buttons wrap under it rather than run into it. */}
      <span
        className="min-w-40 flex-1 truncate"
        title={[call.callerNumber, call.callerName].filter(Boolean).join(' ') || undefined}
      >
        <span className="font-mono text-slate-900" data-testid="waiting-caller">
          {call.callerNumber ?? 'Unknown number'}
        </span>
        {call.callerName ? <span className="ml-2 text-slate-500">{call.callerName}</span> : null}
      </span>
      {call.callback ? (
        <span data-testid="waiting-callback">
          <CallbackMark callback={call.callback} />
        </span>
      ) : call.ringing.length > 0 ? (
        <Badge tone="blue">Ringing an agent</Badge>
      ) : null}
      <span className="w-14 text-right font-mono tabular-nums text-slate-700" data-testid="waiting-time">
        {formatDuration(waitS)}
      </span>
      <WaitingCallActions
        queueId={queueId}
        call={call}
        index={index}
        count={count}
        canAssign={canAssign}
        moveTo={moveTo}
        onAssign={onAssign}
      />
    </li>
  );
}
