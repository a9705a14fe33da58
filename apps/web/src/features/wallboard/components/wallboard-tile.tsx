import type { ReactNode } from 'react';

export type TileTone = 'good' | 'warn' | 'bad' | 'neutral';

const tones: Record<TileTone, string> = {
  good: 'bg-emerald-50 ring-emerald-300 text-emerald-900',
  warn: 'bg-amber-50 ring-amber-300 text-amber-900',
  bad: 'bg-red-50 ring-red-300 text-red-900',
  neutral: 'bg-white ring-slate-200 text-slate-900',
};

/** One figure on the wallboard, coloured by how it stands against its threshold. */
export function WallboardTile({
  label,
  value,
  detail,
  tone = 'neutral',
  tv,
}: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
  tone?: TileTone;
  tv: boolean;
}) {
  return (
    <div className={`rounded-lg p-4 ring-1 ${tones[tone]}`} data-tone={tone} data-testid="wallboard-tile">
      <div className={`font-medium opacity-80 ${tv ? 'text-xl' : 'text-xs'}`}>{label}</div>
      <div className={`font-semibold tabular-nums ${tv ? 'text-6xl' : 'text-3xl'}`}>{value}</div>
      {detail ? <div className={`opacity-70 ${tv ? 'text-lg' : 'text-xs'}`}>{detail}</div> : null}
    </div>
  );
}
