import { useEffect, useRef, useState } from 'react';
import { type MicrophoneProblem, microphoneProblem, openMicrophone } from '../lib/microphone';
import { isSilent, levelOf } from '../lib/microphone-level';

/** Long enough that speech or a beep comes by; a microphone that sends (near) digital silence for this long is off. */
const silenceVerdictMs = 3000;
const recordMs = 4000;

export type MicrophoneCheckPhase = 'idle' | 'starting' | 'listening' | 'recording' | 'playing';

const silentProblem: MicrophoneProblem = {
  kind: 'silent',
  detail:
    'Your microphone sends only silence. Check that it is not muted (a switch on the headset or its cable, or the input volume in your system sound settings), or choose another microphone.',
};

/**
 * Reads the stream's level every animation frame: `onLevel` each time, `onFirstSound` once it is
 * heard, and `onProblem` with the silence verdict (set after `silenceVerdictMs` of silence, lifted
 * once heard). Returns the function that stops it and releases the microphone.
 */
function watchLevel(
  stream: MediaStream,
  on: {
    onLevel(level: number): void;
    onFirstSound(): void;
    onProblem(update: (p: MicrophoneProblem | null) => MicrophoneProblem | null): void;
  },
): () => void {
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
      if (!anySound) on.onFirstSound();
      anySound = true;
    }
    on.onLevel(levelOf(samples));
    if (!anySound && performance.now() - startedAt > silenceVerdictMs) on.onProblem(() => silentProblem);
    else if (anySound) on.onProblem((p) => (p?.kind === 'silent' ? null : p));
    frame = requestAnimationFrame(tick);
  };
  frame = requestAnimationFrame(tick);
  return () => {
    cancelAnimationFrame(frame);
    for (const t of stream.getTracks()) t.stop();
    void ctx.close().catch(() => {});
  };
}

/** Records `recordMs` of the stream and hands the recording to `onRecorded`. */
function record(stream: MediaStream, onRecorded: (recording: Blob) => void): MediaRecorder {
  const recorder = new MediaRecorder(stream);
  const chunks: Blob[] = [];
  recorder.ondataavailable = (e) => chunks.push(e.data);
  recorder.onstop = () => onRecorded(new Blob(chunks, { type: recorder.mimeType }));
  recorder.start();
  setTimeout(() => {
    if (recorder.state === 'recording') recorder.stop();
  }, recordMs);
  return recorder;
}

/**
 * The microphone check's state: open the microphone and watch its level (`start`), record a few
 * seconds and play them back on the chosen speaker (`recordAndPlay`), `stop`; stopped on unmount.
 */
export function useMicrophoneCheck({
  constraints,
  speakerId,
  onPermission,
  onWorking,
}: {
  constraints: MediaTrackConstraints;
  speakerId: string | null;
  onPermission(): void;
  onWorking(): void;
}) {
  const [phase, setPhase] = useState<MicrophoneCheckPhase>('idle');
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
    const stopWatching = watchLevel(stream, {
      onLevel: setLevel,
      onFirstSound: () => {
        setHeard(true);
        onWorking();
      },
      onProblem: setProblem,
    });
    session.current = { stream, stop: stopWatching };
    setPhase('listening');
  };

  const recordAndPlay = () => {
    const s = session.current;
    if (!s || typeof MediaRecorder === 'undefined') return;
    record(s.stream, (recording) => {
      if (session.current !== s) return;
      const url = URL.createObjectURL(recording);
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
    });
    setPhase('recording');
  };

  return { phase, level, problem, heard, start, stop, recordAndPlay };
}
