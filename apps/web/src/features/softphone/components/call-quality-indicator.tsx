import type { PathFigures } from '@switchboard/shared';
import { useState } from 'react';
import type { CallQualityView } from '../lib/call-quality-sample';

const levelText = { good: 'Good', fair: 'Fair', poor: 'Poor' } as const;
const levelDot = { good: 'bg-emerald-400', fair: 'bg-amber-300', poor: 'bg-red-400' } as const;

const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(v < 0.1 ? 1 : 0)} %`);
const msText = (v: number | null) => (v === null ? '–' : `${Math.round(v)} ms`);

function Figures({ title, f }: { title: string; f: PathFigures | null }) {
  return (
    <tr>
      <th scope="row" className="py-1 pr-3 text-left font-medium">
        {title}
      </th>
      <td className="px-2 text-right tabular-nums">{pct(f?.lossRate ?? null)}</td>
      <td className="px-2 text-right tabular-nums">{msText(f?.jitterMs ?? null)}</td>
      <td className="pl-2 text-right tabular-nums">{msText(f?.rttMs ?? null)}</td>
    </tr>
  );
}

/**
 * The call bar's quality: a verdict with the estimated MOS, the warnings that say which side is the
 * trouble, and the figures behind them on demand.
 */
export function CallQualityIndicator({ quality }: { quality: CallQualityView | null }) {
  const [open, setOpen] = useState(false);
  if (!quality)
    return (
      <span data-testid="call-quality" className="text-xs opacity-70">
        Measuring quality…
      </span>
    );
  const other = quality.otherParty === 'customer' ? "Customer's line" : "Other agent's line";
  return (
    <span className="relative flex items-center gap-2">
      <button
        type="button"
        data-testid="call-quality"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        className="inline-flex items-center gap-1.5 rounded-full bg-white/15 px-2 py-0.5 text-xs hover:bg-white/25"
      >
        <span aria-hidden="true" className={`h-2 w-2 rounded-full ${levelDot[quality.level]}`} />
        Quality {levelText[quality.level]} · MOS {quality.mos.toFixed(1)}
      </button>
      {quality.warnings.map((w) => (
        <span
          key={w.source}
          role="alert"
          data-testid={`quality-warning-${w.source}`}
          className="rounded bg-amber-300 px-1.5 py-0.5 text-xs font-medium text-amber-950"
        >
          {w.message}
        </span>
      ))}
      {open ? (
        <div className="absolute top-full left-0 z-50 mt-2 rounded-lg bg-white p-3 text-xs text-slate-800 shadow-lg ring-1 ring-slate-200">
          <table aria-label="Call quality figures">
            <thead className="text-slate-500">
              <tr>
                <th />
                <th className="px-2 text-right font-medium">Loss</th>
                <th className="px-2 text-right font-medium">Jitter</th>
                <th className="pl-2 text-right font-medium">Round trip</th>
              </tr>
            </thead>
            <tbody>
              <Figures title="Your connection" f={quality.agentNetwork} />
              <Figures title={other} f={quality.otherLine} />
            </tbody>
          </table>
        </div>
      ) : null}
    </span>
  );
}
