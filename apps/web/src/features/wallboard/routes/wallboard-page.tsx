import type { WallboardFigures } from '@switchboard/shared';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { Button, buttonClasses } from '../../../components/button';
import { PageHeader } from '../../../components/page-header';
import { errorMessage } from '../../../lib/field-errors';
import { useWallboard } from '../api/get-wallboard';
import { type TileTone, WallboardTile } from '../components/wallboard-tile';

/** The target overall figures are held to (each queue has its own, 80 % unless set). */
const DEFAULT_SERVICE_LEVEL_TARGET = 80;

/** Green at or above the queue's target, amber within 15 points of it (docs/supervisor.md). */
function serviceTone(percent: number | null, target: number): TileTone {
  if (percent === null) return 'neutral';
  if (percent >= target) return 'good';
  return percent >= target - 15 ? 'warn' : 'bad';
}

/** Someone waiting longer than the queue's threshold is already outside the service level. */
function waitTone(longest: number, threshold: number | null): TileTone {
  if (longest === 0) return 'good';
  if (threshold === null || longest < threshold / 2) return 'neutral';
  return longest < threshold ? 'warn' : 'bad';
}

function seconds(v: number | null): string {
  if (v === null) return '—';
  const s = Math.round(v);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

/** The longest wait counts up between events from when the oldest caller arrived. */
function useLongestWait(f: WallboardFigures, at: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (f.oldestWaitingSince === null) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [f.oldestWaitingSince]);
  if (f.oldestWaitingSince === null) return 0;
  return Math.max(f.longestWaitSeconds, Math.floor((Math.max(now, at) - f.oldestWaitingSince) / 1000));
}

function FiguresRow({
  title,
  f,
  threshold,
  at,
  tv,
}: {
  title: string;
  f: WallboardFigures;
  threshold: number | null;
  at: number;
  tv: boolean;
}) {
  const longest = useLongestWait(f, at);
  const sl = f.serviceLevel;
  return (
    <section aria-label={title} data-testid="wallboard-row">
      <h2 className={`mb-2 font-semibold text-slate-800 ${tv ? 'text-3xl' : 'text-sm'}`}>{title}</h2>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        <WallboardTile
          tv={tv}
          label="Service level"
          value={sl.percent === null ? '—' : `${sl.percent}%`}
          detail={`${sl.answeredWithin}/${sl.offered} within ${sl.thresholdSeconds === null ? 'each queue’s threshold' : `${sl.thresholdSeconds}s`}${sl.targetPercent === null ? '' : ` · target ${sl.targetPercent}%`}`}
          tone={serviceTone(sl.percent, sl.targetPercent ?? DEFAULT_SERVICE_LEVEL_TARGET)}
        />
        <WallboardTile
          tv={tv}
          label="Waiting"
          value={f.waiting}
          detail={`longest ${seconds(longest)}`}
          tone={waitTone(longest, threshold)}
        />
        <WallboardTile
          tv={tv}
          label="Agents"
          value={f.agents.idle}
          detail={`ready · ${f.agents.on_call} on call · ${f.agents.wrapup} wrap-up · ${f.agents.paused} paused`}
          tone={f.waiting > 0 && f.agents.idle === 0 ? 'bad' : 'neutral'}
        />
        <WallboardTile tv={tv} label="Answered today" value={f.answeredToday} />
        <WallboardTile
          tv={tv}
          label="Abandoned today"
          value={f.abandonedToday}
          detail={
            sl.offered > 0
              ? `${Math.round((f.abandonedToday / sl.offered) * 1000) / 10}% of offered`
              : undefined
          }
          tone={sl.offered > 0 && f.abandonedToday / sl.offered > 0.1 ? 'bad' : 'neutral'}
        />
        <WallboardTile
          tv={tv}
          label="ASA · AHT"
          value={seconds(f.averageSpeedOfAnswerSeconds)}
          detail={`handle time ${seconds(f.averageHandleTimeSeconds)}`}
        />
      </div>
    </section>
  );
}

/**
 * The live wallboard: per queue and overall, updated by events. `?tv=1` (or the full-screen button)
 * shows it with large type for a wall screen. `display`: the page of its own for a wall screen
 * (`/wallboard/display`), large type always, opened from here.
 */
export function WallboardPage({ display = false }: { display?: boolean }) {
  const board = useWallboard();
  const [params, setParams] = useSearchParams();
  const tv = display || params.get('tv') === '1';
  const setTv = (on: boolean) => {
    const next = new URLSearchParams(params);
    if (on) next.set('tv', '1');
    else next.delete('tv');
    setParams(next, { replace: true });
    if (on) void document.documentElement.requestFullscreen?.().catch(() => {});
    else if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
  };
  const data = board.data;
  return (
    <div className={tv ? 'fixed inset-0 z-50 space-y-6 overflow-auto bg-slate-100 p-8' : 'space-y-5'}>
      {tv ? (
        <div className="flex items-center justify-between">
          <h1 className="text-4xl font-bold text-slate-900">Wallboard</h1>
          {display ? (
            <Button
              variant="secondary"
              onClick={() => void document.documentElement.requestFullscreen?.().catch(() => {})}
            >
              Full screen
            </Button>
          ) : (
            <Button variant="secondary" onClick={() => setTv(false)}>
              Exit full screen
            </Button>
          )}
        </div>
      ) : (
        <PageHeader
          title="Wallboard"
          description="Queues live: service level, waiting callers, agents, today’s calls. Updated as it happens."
          actions={
            <div className="flex gap-2">
              <a
                href="/wallboard/display"
                target="_blank"
                rel="noopener"
                className={buttonClasses('secondary')}
              >
                Open for a wall screen
              </a>
              <Button onClick={() => setTv(true)}>Full screen (TV)</Button>
            </div>
          }
        />
      )}
      {board.isError ? <Alert tone="error">{errorMessage(board.error)}</Alert> : null}
      {data ? (
        <>
          <FiguresRow title="All queues" f={data.overall} threshold={null} at={data.at} tv={tv} />
          {data.queues.map((q) => (
            <FiguresRow
              key={q.queueId}
              title={`Queue ${q.name}`}
              f={q}
              threshold={q.serviceLevel.thresholdSeconds}
              at={data.at}
              tv={tv}
            />
          ))}
        </>
      ) : board.isPending ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : null}
    </div>
  );
}
