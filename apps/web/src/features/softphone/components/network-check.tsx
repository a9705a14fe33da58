import { useEffect, useRef, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { endNetworkCheck } from '../api/end-network-check';
import { getNetworkCheck } from '../api/get-network-check';
import { useSoftphoneConfig } from '../api/get-softphone-config';
import { startNetworkCheck } from '../api/start-network-check';
import { browserAudioStats } from '../lib/call-quality-sample';
import { type NetworkCheckVerdict, networkCheckVerdict } from '../lib/network-check';

/** Long enough for a few RTCP reports and a fair loss figure (500 packets each way). */
const testMs = 10_000;

const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)} %`);
const ms = (v: number | null) => (v === null ? '–' : `${Math.round(v)} ms`);

/** Resolves once the offer carries every local candidate (the switch does not take trickled ones). */
function gatheringComplete(pc: RTCPeerConnection, timeoutMs: number): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    function done() {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', check);
      resolve();
    }
    function check() {
      if (pc.iceGatheringState === 'complete') done();
    }
    pc.addEventListener('icegatheringstatechange', check);
  });
}

/**
 * The pre-call network check: a 10-second test call to the switch, the way a call's audio travels
 * (WebRTC, the same ICE and codec). The switch plays audio to the browser and measures a tone the
 * browser sends; the verdict is the worse direction. The microphone is not used.
 */
export function NetworkCheck() {
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState(0);
  const [verdict, setVerdict] = useState<NetworkCheckVerdict | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cancel = useRef<(() => void) | null>(null);
  useEffect(() => () => cancel.current?.(), []);
  // The same STUN/TURN servers as the calls, so the check travels the way a call's audio would.
  const iceServers = useSoftphoneConfig(true).data?.web?.iceServers ?? [];

  const run = async () => {
    cancel.current?.();
    setRunning(true);
    setVerdict(null);
    setError(null);
    setProgress(0);
    let stopped = false;
    let id: string | null = null;
    const pc = new RTCPeerConnection({ iceServers });
    const ctx = new AudioContext();
    const tone = ctx.createOscillator();
    const gain = ctx.createGain();
    gain.gain.value = 0.05;
    const out = ctx.createMediaStreamDestination();
    tone.connect(gain).connect(out);
    tone.start();
    const stop = () => {
      if (stopped) return;
      stopped = true;
      pc.close();
      tone.stop();
      void ctx.close().catch(() => {});
      if (id) void endNetworkCheck(id).catch(() => {});
    };
    cancel.current = stop;
    try {
      for (const track of out.stream.getAudioTracks()) pc.addTrack(track, out.stream);
      await pc.setLocalDescription(await pc.createOffer());
      await gatheringComplete(pc, 3000);
      const started = await startNetworkCheck(pc.localDescription?.sdp ?? '');
      id = started.id;
      if (stopped) {
        stop();
        return;
      }
      await pc.setRemoteDescription({ type: 'answer', sdp: started.answer });
      const t0 = performance.now();
      while (!stopped && performance.now() - t0 < testMs) {
        await new Promise((r) => setTimeout(r, 250));
        setProgress(Math.min(1, (performance.now() - t0) / testMs));
      }
      if (stopped) return;
      const [report, measured] = await Promise.all([pc.getStats(), getNetworkCheck(id)]);
      const entries: Record<string, unknown>[] = [];
      report.forEach((s: Record<string, unknown>) => {
        entries.push(s);
      });
      setVerdict(networkCheckVerdict(browserAudioStats(entries), measured.switchReceived));
    } catch (err) {
      if (!stopped)
        setError(`The network check could not run: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      stop();
      if (cancel.current === stop) cancel.current = null;
      setRunning(false);
    }
  };

  return (
    <section aria-labelledby="network-check-title" className="space-y-3">
      <h3 id="network-check-title" className="text-sm font-semibold text-slate-800">
        Network check
      </h3>
      <p className="text-sm text-slate-600">
        A 10-second test call to the switch measures packet loss, jitter and round trip in both directions.
      </p>
      <div className="flex items-center gap-3">
        <Button variant="secondary" size="sm" onClick={() => void run()} disabled={running}>
          {running ? 'Testing…' : 'Test network'}
        </Button>
        {running ? (
          <progress
            aria-label="Network check progress"
            max={100}
            value={Math.round(progress * 100)}
            className="h-2 flex-1"
          />
        ) : null}
      </div>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {verdict ? (
        <Alert tone={verdict.level === 'good' ? 'success' : verdict.level === 'fair' ? 'info' : 'warning'}>
          <span data-testid="network-check-result">
            <strong>{verdict.message}</strong> Loss {pct(verdict.figures.lossRate)}, jitter{' '}
            {ms(verdict.figures.jitterMs)}, round trip {ms(verdict.figures.rttMs)} · MOS{' '}
            {verdict.mos.toFixed(1)}
          </span>
        </Alert>
      ) : null}
    </section>
  );
}
