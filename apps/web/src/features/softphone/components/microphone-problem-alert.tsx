import { Alert } from '../../../components/alert';
import type { MicrophoneProblem } from '../lib/microphone';

/** What is wrong with the microphone and what to do about it. */
export function MicrophoneProblemAlert({ problem }: { problem: MicrophoneProblem }) {
  return (
    <Alert tone={problem.kind === 'silent' ? 'warning' : 'error'}>
      <span data-testid="microphone-problem">
        {problem.kind === 'denied'
          ? 'Microphone access is blocked for this site. Click the icon at the left of the address bar, set Microphone to Allow, and reload the page.'
          : problem.kind === 'missing'
            ? 'No microphone was found. Plug in a headset or microphone, or choose another one above.'
            : problem.detail}
      </span>
    </Alert>
  );
}
