import type { WrapUp } from '@switchboard/shared';
import { useEffect, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { SelectField } from '../../../components/select-field';
import { TextareaField } from '../../../components/textarea-field';
import { useHotkey } from '../../../lib/hotkeys';
import { useExtendWrapUp } from '../api/extend-wrap-up';
import { useFinishWrapUp } from '../api/finish-wrap-up';
import { useMyWrapUp } from '../api/get-my-wrap-up';
import { useSetWrapUpDisposition } from '../api/set-wrap-up-disposition';

const EXTEND_SECONDS = 30;

function useSecondsLeft(until: number | undefined): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === undefined) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [until]);
  return until === undefined ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
}

function clock(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * The wrap-up after a queue call, under the call bar: the time left, the disposition code and a
 * note (docs/agent-desk.md, "Wrap-up"), more time, and Done. Shown only while the switch has the
 * agent in wrap-up.
 */
export function WrapUpBar({ isAgent }: { isAgent: boolean }) {
  const query = useMyWrapUp(isAgent);
  const wrap = query.data?.wrapUp ?? null;
  if (!wrap) return null;
  return <WrapUpForm key={wrap.callId} wrap={wrap} />;
}

function WrapUpForm({ wrap }: { wrap: WrapUp }) {
  const save = useSetWrapUpDisposition();
  const extend = useExtendWrapUp();
  const finish = useFinishWrapUp();
  const [codeId, setCodeId] = useState(() => String(wrap.codes.find((c) => c.name === wrap.code)?.id ?? ''));
  const [note, setNote] = useState(wrap.note ?? '');
  const left = useSecondsLeft(wrap.until);
  const missing = wrap.required && wrap.code === null;
  const changed =
    codeId !== String(wrap.codes.find((c) => c.name === wrap.code)?.id ?? '') || note !== (wrap.note ?? '');
  const error = save.error ?? extend.error ?? finish.error;

  const saveThen = async (after?: () => void) => {
    if (changed) await save.mutateAsync({ codeId: codeId ? Number(codeId) : null, note: note || null });
    after?.();
  };

  const canFinish = !finish.isPending && !save.isPending && !(wrap.required && !codeId);
  const done = () => void saveThen(() => finish.mutate()).catch(() => {});
  useHotkey('wrapUpDone', () => {
    if (!canFinish) return false;
    done();
    return true;
  });

  return (
    <section
      aria-label="Wrap-up"
      data-testid="wrap-up-bar"
      className="border-indigo-200 border-b bg-indigo-50 px-6 py-3"
    >
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          done();
        }}
      >
        <div className="min-w-32">
          <p className="text-sm font-semibold text-indigo-900">Wrap-up · {wrap.queueName}</p>
          <p className="text-sm text-indigo-800 tabular-nums" data-testid="wrap-up-time-left">
            {left > 0
              ? `${clock(left)} left`
              : missing
                ? 'Choose a disposition to take calls again'
                : 'Ending…'}
          </p>
        </div>
        <SelectField
          label={wrap.required ? 'Disposition (required)' : 'Disposition'}
          value={codeId}
          onChange={(e) => setCodeId(e.target.value)}
          className="w-56"
        >
          <option value="">{wrap.codes.length ? 'Choose…' : 'No codes set up'}</option>
          {wrap.codes.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <TextareaField
          label="Note"
          value={note}
          maxLength={1000}
          onChange={(e) => setNote(e.target.value)}
          className="min-w-64 flex-1"
          rows={1}
        />
        <div className="flex gap-2 pb-0.5">
          <Button
            variant="secondary"
            disabled={!changed || save.isPending}
            onClick={() => void saveThen().catch(() => {})}
          >
            Save
          </Button>
          <Button
            variant="secondary"
            disabled={extend.isPending}
            onClick={() => extend.mutate(EXTEND_SECONDS)}
          >
            +{EXTEND_SECONDS} s
          </Button>
          <Button type="submit" disabled={!canFinish} aria-keyshortcuts="Alt+W">
            Done
          </Button>
        </div>
      </form>
      {error ? (
        <div className="mt-2">
          <Alert tone="error">{error.message}</Alert>
        </div>
      ) : null}
    </section>
  );
}
