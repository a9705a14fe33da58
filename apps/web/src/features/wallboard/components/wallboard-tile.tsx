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
    <div
      className={`min-w-0 rounded-lg p-4 ring-1 ${tones[tone]}`}
      data-tone={tone}
      data-testid="wallboard-tile"
    >
      {/* On a wall screen the type follows the screen's width: six tiles a row always fit their figure. */}
      <div className={`font-medium opacity-80 ${tv ? 'text-[clamp(1rem,1.5vw,1.5rem)]' : 'text-xs'}`}>
        {label}
      </div>
      <div
        className={`font-semibold tabular-nums ${tv ? 'text-[clamp(2rem,3.8vw,4.5rem)] leading-tight' : 'text-3xl'}`}
      >
        {value}
      </div>
      {detail ? (
        <div className={`opacity-70 ${tv ? 'text-[clamp(0.875rem,1.2vw,1.25rem)]' : 'text-xs'}`}>
          {detail}
        </div>
      ) : null}
    </div>
  );
}
