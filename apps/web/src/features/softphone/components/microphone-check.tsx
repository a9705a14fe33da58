import { useEffect, useRef, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { type MicrophoneProblem, microphoneProblem, openMicrophone } from '../lib/microphone';
import { isSilent, levelOf } from '../lib/microphone-level';

/** Long enough that speech or a beep comes by; a microphone that sends (near) digital silence for this long is off. */
const silenceVerdictMs = 3000;
const recordMs = 4000;

type Phase = 'idle' | 'starting' | 'listening' | 'recording' | 'playing';

const silentProblem: MicrophoneProblem = {
  kind: 'silent',
  detail:
    'Your microphone sends only silence. Check that it is not muted (a switch on the headset or its cable, or the input volume in your system sound settings), or choose another microphone.',
};

/**
 * The microphone check in the audio settings: a live level meter, a silence verdict, and a short
 * recording played back on the chosen speaker, so the agent hears what the customer will hear.
 */
export function MicrophoneCheck({
  constraints,
  speakerId,
  onPermission,
  onWorking,
}: {
  constraints: MediaTrackConstraints;
  speakerId: string | null;
  /** The page may now read device labels: the settings list them. */
  onPermission(): void;
  /** The microphone was heard: the check passed. */
  onWorking(): void;
}) {
  const [phase, setPhase] = useState<Phase>('idle');
  const [level, setLevel] = useState(0);
  const [problem, setProblem] = useState<MicrophoneProblem | null>(null);
  const [heard, setHeard] = useState(false);
  const session = useRef<{ stop(): void; stream: MediaStream } | null>(null);
  const playback = useRef<HTMLAudioElement | null>(null);

  const stop = () => {
    session.current?.stop();
    session.current = null;
    playback.current?.pause();
    playback.current = null;
    setPhase('idle');
    setLevel(0);
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: stop only on unmount
  useEffect(() => stop, []);

  const start = async () => {
    stop();
    setProblem(null);
    setHeard(false);
    setPhase('starting');
    let stream: MediaStream;
    try {
      stream = await openMicrophone(constraints);
    } catch (err) {
      setProblem(microphoneProblem(err));
      setPhase('idle');
      return;
    }
    onPermission();
    const ctx = new AudioContext();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 2048;
    ctx.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const startedAt = performance.now();
    let anySound = false;
    let frame = 0;
    const tick = () => {
      analyser.getFloatTimeDomainData(samples);
      if (!isSilent(samples)) {
        if (!anySound) {
          setHeard(true);
          onWorking();
        }
        anySound = true;
      }
      setLevel(levelOf(samples));
      if (!anySound && performance.now() - startedAt > silenceVerdictMs) setProblem(silentProblem);
      else if (anySound) setProblem((p) => (p?.kind === 'silent' ? null : p));
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    session.current = {
      stream,
      stop: () => {
        cancelAnimationFrame(frame);
        for (const t of stream.getTracks()) t.stop();
        void ctx.close().catch(() => {});
      },
    };
    setPhase('listening');
  };

  const recordAndPlay = () => {
    const s = session.current;
    if (!s || typeof MediaRecorder === 'undefined') return;
    const recorder = new MediaRecorder(s.stream);
    const chunks: Blob[] = [];
    recorder.ondataavailable = (e) => chunks.push(e.data);
    recorder.onstop = () => {
      if (session.current !== s) return;
      const url = URL.createObjectURL(new Blob(chunks, { type: recorder.mimeType }));
      const audio = new Audio(url);
      playback.current = audio;
      const done = () => {
        URL.revokeObjectURL(url);
        if (playback.current === audio) setPhase('listening');
      };
      audio.onended = done;
      audio.onerror = done;
      setPhase('playing');
      const sink = speakerId && audio.setSinkId ? audio.setSinkId(speakerId) : Promise.resolve();
      void sink
        .catch(() => {})
        .then(() => audio.play())
        .catch(done);
    };
    recorder.start();
    setPhase('recording');
    setTimeout(() => {
      if (recorder.state === 'recording') recorder.stop();
    }, recordMs);
  };

  const percent = Math.round(level * 100);
  const active = phase === 'listening' || phase === 'recording' || phase === 'playing';
  return (
    <section aria-labelledby="microphone-check-title" className="space-y-3">
      <h3 id="microphone-check-title" className="text-sm font-semibold text-slate-800">
        Microphone check
      </h3>
      <p className="text-sm text-slate-600">
        Speak as you would on a call: the bar moves with your voice. Then record a few seconds and listen to
        them on your speaker.
      </p>
      <meter
        aria-label="Microphone level"
        min={0}
        max={100}
        low={5}
        high={85}
        optimum={50}
        value={percent}
        data-testid="microphone-level"
        className="h-4 w-full"
      />
      <div className="flex flex-wrap items-center gap-2">
        {active ? (
          <Button variant="secondary" size="sm" onClick={stop}>
            Stop check
          </Button>
        ) : (
          <Button variant="secondary" size="sm" onClick={() => void start()} disabled={phase === 'starting'}>
            {phase === 'starting' ? 'Opening the microphone…' : 'Test microphone'}
          </Button>
        )}
        <Button
          variant="secondary"
          size="sm"
          onClick={recordAndPlay}
          disabled={phase !== 'listening' || typeof MediaRecorder === 'undefined'}
        >
          Record and play back
        </Button>
        <span className="text-sm text-slate-600" role="status">
          {phase === 'recording'
            ? 'Recording… say a few words.'
            : phase === 'playing'
              ? 'Playing back: do you hear yourself clearly?'
              : phase === 'listening' && heard
                ? 'Your microphone is working.'
                : ''}
        </span>
      </div>
      {problem ? (
        <Alert tone={problem.kind === 'silent' ? 'warning' : 'error'}>
          <span data-testid="microphone-problem">
            {problem.kind === 'denied'
              ? 'Microphone access is blocked for this site. Click the icon at the left of the address bar, set Microphone to Allow, and reload the page.'
              : problem.kind === 'missing'
                ? 'No microphone was found. Plug in a headset or microphone, or choose another one above.'
                : problem.detail}
          </span>
        </Alert>
      ) : null}
    </section>
  );
}
