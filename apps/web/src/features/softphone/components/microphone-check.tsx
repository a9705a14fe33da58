import { Button } from '../../../components/button';
import { type MicrophoneCheckPhase, useMicrophoneCheck } from '../hooks/use-microphone-check';
import { MicrophoneProblemAlert } from './microphone-problem-alert';

/** What the check is doing, for the status next to its buttons. */
function statusText(phase: MicrophoneCheckPhase, heard: boolean): string {
  return phase === 'recording'
    ? 'Recording… say a few words.'
    : phase === 'playing'
      ? 'Playing back: do you hear yourself clearly?'
      : phase === 'listening' && heard
        ? 'Your microphone is working.'
        : '';
}

/**
 * The microphone check in the audio settings: a live level meter, a silence verdict, and a short
 * recording played back on the chosen speaker, so the agent hears what the customer will hear.
 */
export function MicrophoneCheck(props: {
  constraints: MediaTrackConstraints;
  speakerId: string | null;
  /** The page may now read device labels: the settings list them. */
  onPermission(): void;
  /** The microphone was heard: the check passed. */
  onWorking(): void;
}) {
  const { phase, level, problem, heard, start, stop, recordAndPlay } = useMicrophoneCheck(props);
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
          {statusText(phase, heard)}
        </span>
      </div>
      {problem ? <MicrophoneProblemAlert problem={problem} /> : null}
    </section>
  );
}
