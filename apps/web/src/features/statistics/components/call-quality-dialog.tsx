import { type CdrRecord, type LegQuality, mosEstimate, pathIsPoor, qualityLevel } from '@switchboard/shared';
import { Alert } from '../../../components/alert';
import { Badge, type BadgeTone } from '../../../components/badge';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { useCallQuality } from '../api/get-call-quality';

const legNames: Record<string, string> = {
  customer: "Customer's line (carrier)",
  caller: 'Caller (agent)',
  callee: 'Agent',
};
const levelTone: Record<ReturnType<typeof qualityLevel>, BadgeTone> = {
  good: 'green',
  fair: 'amber',
  poor: 'red',
};

const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(v < 0.1 ? 1 : 0)} %`);
const ms = (v: number | null) => (v === null ? '–' : `${Math.round(v)} ms`);

/** What the switch received on the leg: the figures its MOS is estimated from. */
function legFigures(q: LegQuality) {
  return { lossRate: q.lossRate, jitterMs: q.jitterMs, rttMs: q.rttMs };
}

/**
 * A finished call's quality, per media leg, from what the switch measured until the call ended (RTP
 * counters and RTCP reports): loss and jitter of what it received, the round trip, and what the peer
 * reported about the switch's stream.
 */
export function CallQualityDialog({ record, onClose }: { record: CdrRecord | null; onClose(): void }) {
  const quality = useCallQuality(record?.id ?? null);
  return (
    <Dialog
      open={record !== null}
      onClose={onClose}
      title="Call quality"
      description={
        record
          ? `${record.customerName ?? record.customerNumber ?? 'Call'} · ${record.agentName ?? ''}`
          : null
      }
      footer={<Button onClick={onClose}>Close</Button>}
      size="lg"
    >
      {quality.isPending ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : quality.error ? (
        <Alert tone="error">The call quality could not be loaded: {quality.error.message}</Alert>
      ) : quality.data.legs.length === 0 ? (
        <p className="text-sm text-slate-600">No audio was measured for this call.</p>
      ) : (
        <table aria-label="Quality per leg" className="w-full text-sm">
          <thead className="text-left text-xs text-slate-500 uppercase">
            <tr>
              <th className="py-1 pr-3 font-medium">Leg</th>
              <th className="px-2 text-right font-medium">Packets</th>
              <th className="px-2 text-right font-medium">Loss</th>
              <th className="px-2 text-right font-medium">Jitter</th>
              <th className="px-2 text-right font-medium">Round trip</th>
              <th className="px-2 text-right font-medium">Loss reported by peer</th>
              <th className="pl-2 text-right font-medium">MOS</th>
            </tr>
          </thead>
          <tbody>
            {quality.data.legs.map(({ leg, quality: q }) => {
              const mos = mosEstimate(legFigures(q));
              const level = pathIsPoor(legFigures(q)) ? 'poor' : qualityLevel(mos);
              return (
                <tr key={leg} className="border-slate-100 border-t">
                  <th scope="row" className="py-2 pr-3 text-left font-medium">
                    {legNames[leg] ?? leg}
                  </th>
                  <td className="px-2 text-right tabular-nums">{q.packetsReceived}</td>
                  <td className="px-2 text-right tabular-nums">{pct(q.lossRate)}</td>
                  <td className="px-2 text-right tabular-nums">{ms(q.jitterMs)}</td>
                  <td className="px-2 text-right tabular-nums">{ms(q.rttMs)}</td>
                  <td className="px-2 text-right tabular-nums">{pct(q.remoteLossRate)}</td>
                  <td className="pl-2 text-right whitespace-nowrap tabular-nums">
                    {mos.toFixed(1)} <Badge tone={levelTone[level]}>{level}</Badge>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Dialog>
  );
}
