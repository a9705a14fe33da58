import { callOutcomeLabels, cdrTypeLabel, qualityLevel } from '@switchboard/shared';
import type { ReactNode } from 'react';
import { Alert } from '../../../components/alert';
import { Badge, type BadgeTone } from '../../../components/badge';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { formatDateTimeSeconds, formatDuration } from '../../../lib/format';
import { useCallDetail } from '../api/get-call-detail';

const legRoles: Record<string, string> = {
  customer: 'Customer',
  agent: 'Agent',
  supervisor: 'Supervisor',
  destination: 'Transfer target',
  callback: 'Callback',
};
const levelTone: Record<ReturnType<typeof qualityLevel>, BadgeTone> = {
  good: 'green',
  fair: 'amber',
  poor: 'red',
};

function Figure({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium text-slate-500 uppercase">{label}</dt>
      <dd className="mt-0.5 text-sm text-slate-900 tabular-nums">{children}</dd>
    </div>
  );
}

/** Everything about one call: times, legs, transfer steps, disposition, recording and quality. */
export function CallDetailDialog({
  cdrId,
  timeZone,
  onClose,
}: {
  cdrId: number | null;
  timeZone: string;
  onClose(): void;
}) {
  const detail = useCallDetail(cdrId);
  const d = detail.data;
  const at = (ms: number | null) => (ms === null ? '—' : formatDateTimeSeconds(ms, timeZone));
  return (
    <Dialog
      open={cdrId !== null}
      onClose={onClose}
      title="Call detail"
      description={
        d ? `${cdrTypeLabel(d.type, d.service)} · ${d.customerName ?? d.customerNumber ?? 'Unknown'}` : null
      }
      footer={<Button onClick={onClose}>Close</Button>}
      size="lg"
    >
      {detail.isPending ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : detail.error ? (
        <Alert tone="error">The call could not be loaded: {detail.error.message}</Alert>
      ) : d ? (
        <div className="space-y-5" data-testid="call-detail">
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
            <Figure label="Started">{at(d.startedAt)}</Figure>
            <Figure label="Answered">{at(d.answeredAt)}</Figure>
            <Figure label="Ended">{at(d.endedAt)}</Figure>
            <Figure label="Outcome">{d.outcome ? callOutcomeLabels[d.outcome] : 'In progress'}</Figure>
            <Figure label="Wait">{d.waitSeconds === null ? '—' : `${d.waitSeconds} s`}</Figure>
            <Figure label="Ring">{d.ringSeconds} s</Figure>
            <Figure label="Talk">{formatDuration(d.talkSeconds)}</Figure>
            <Figure label="Hang-up">
              {d.hangupCause ?? '—'}
              {d.hangupSide ? ` (${d.hangupSide})` : ''}
            </Figure>
            <Figure label="Queue">{d.queueName ?? '—'}</Figure>
            <Figure label="Agent">{d.agentName ?? '—'}</Figure>
            <Figure label="Disposition">{d.wrapupCode ?? '—'}</Figure>
            <Figure label="Note">{d.wrapupNote ?? '—'}</Figure>
          </dl>

          <section aria-labelledby="detail-legs">
            <h3 id="detail-legs" className="mb-1 text-sm font-semibold">
              Legs
            </h3>
            {d.legs.length === 0 ? (
              <p className="text-sm text-slate-500">No legs were recorded for this call.</p>
            ) : (
              <table className="w-full text-xs">
                <thead className="text-left text-slate-500 uppercase">
                  <tr>
                    <th className="py-1 pr-2 font-medium">Leg</th>
                    <th className="pr-2 font-medium">Peer</th>
                    <th className="pr-2 font-medium">Started</th>
                    <th className="pr-2 font-medium">Answered</th>
                    <th className="pr-2 font-medium">Ended</th>
                    <th className="font-medium">Result</th>
                  </tr>
                </thead>
                <tbody>
                  {d.legs.map((l) => (
                    <tr key={l.id} className="border-slate-100 border-t" data-testid="call-detail-leg">
                      <th scope="row" className="py-1 pr-2 text-left font-medium">
                        {legRoles[l.role] ?? l.role}
                      </th>
                      <td className="pr-2 font-mono">{l.peer ?? '—'}</td>
                      <td className="pr-2 tabular-nums">{at(l.startedAt)}</td>
                      <td className="pr-2 tabular-nums">{at(l.answeredAt)}</td>
                      <td className="pr-2 tabular-nums">{at(l.endedAt)}</td>
                      <td>{l.disposition ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          {d.steps.length > 0 ? (
            <section aria-labelledby="detail-steps">
              <h3 id="detail-steps" className="mb-1 text-sm font-semibold">
                Transfer steps
              </h3>
              <ol className="list-decimal space-y-0.5 pl-5 text-sm">
                {d.steps.map((s, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: steps are in the order they happened
                  <li key={i}>
                    <span className="tabular-nums">{at(s.at)}</span> · {s.kind.replace(/_/g, ' ')}
                    {typeof s.to === 'string' ? ` → ${s.to}` : ''}
                  </li>
                ))}
              </ol>
            </section>
          ) : null}

          <section aria-labelledby="detail-recording">
            <h3 id="detail-recording" className="mb-1 text-sm font-semibold">
              Recording
            </h3>
            {d.recording ? (
              <div className="flex flex-wrap items-center gap-3">
                {/* biome-ignore lint/a11y/useMediaCaption: call recordings have no captions */}
                <audio controls preload="none" src={`/api/recordings/${d.recording.id}/audio`} />
                <a
                  href={`/api/recordings/${d.recording.id}/download`}
                  download
                  className="text-sm font-medium text-brand-700 hover:underline"
                >
                  Download recording ({formatDuration(d.recording.durationMs / 1000)})
                </a>
              </div>
            ) : (
              <p className="text-sm text-slate-500">This call was not recorded.</p>
            )}
          </section>

          <section aria-labelledby="detail-quality">
            <h3 id="detail-quality" className="mb-1 text-sm font-semibold">
              Quality
            </h3>
            {d.quality.length === 0 ? (
              <p className="text-sm text-slate-500">No audio was measured for this call.</p>
            ) : (
              <table className="w-full text-xs">
                <thead className="text-left text-slate-500 uppercase">
                  <tr>
                    <th className="py-1 pr-2 font-medium">Leg</th>
                    <th className="pr-2 text-right font-medium">Jitter</th>
                    <th className="pr-2 text-right font-medium">Loss</th>
                    <th className="pr-2 text-right font-medium">Round trip</th>
                    <th className="text-right font-medium">MOS estimate</th>
                  </tr>
                </thead>
                <tbody>
                  {d.quality.map((q) => (
                    <tr key={q.leg} className="border-slate-100 border-t">
                      <th scope="row" className="py-1 pr-2 text-left font-medium">
                        {q.leg}
                      </th>
                      <td className="pr-2 text-right tabular-nums">{Math.round(q.quality.jitterMs)} ms</td>
                      <td className="pr-2 text-right tabular-nums">
                        {(q.quality.lossRate * 100).toFixed(1)} %
                      </td>
                      <td className="pr-2 text-right tabular-nums">
                        {q.quality.rttMs === null ? '—' : `${Math.round(q.quality.rttMs)} ms`}
                      </td>
                      <td className="text-right tabular-nums">
                        {q.mos.toFixed(1)}{' '}
                        <Badge tone={levelTone[qualityLevel(q.mos)]}>{qualityLevel(q.mos)}</Badge>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </div>
      ) : null}
    </Dialog>
  );
}
