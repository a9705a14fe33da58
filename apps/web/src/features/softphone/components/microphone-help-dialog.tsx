import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { useSoftphone } from '../hooks/use-softphone';

/** Why the call could not start without the microphone, and how to fix it. */
export function MicrophoneHelpDialog() {
  const { microphoneProblem: problem, dismissMicrophoneProblem } = useSoftphone();
  return (
    <Dialog
      open={problem !== null}
      title="The softphone needs your microphone"
      description={problem?.detail}
      onClose={dismissMicrophoneProblem}
      footer={<Button onClick={dismissMicrophoneProblem}>Close</Button>}
      size="sm"
    >
      <div className="space-y-3 text-sm text-slate-700">
        <p>Without the microphone the caller cannot hear you, so the call was not started.</p>
        {problem?.kind === 'denied' ? (
          <ol className="list-decimal space-y-1 pl-5">
            <li>Click the icon at the left of the address bar (the lock or the crossed-out camera).</li>
            <li>
              Set <strong>Microphone</strong> to <strong>Allow</strong>.
            </li>
            <li>Reload the page, then answer or dial again.</li>
          </ol>
        ) : problem?.kind === 'missing' ? (
          <p>
            Plug in a headset or microphone, check it is selected in your system sound settings, then try
            again.
          </p>
        ) : problem?.kind === 'busy' ? (
          <p>
            Close other programs that use the microphone (another softphone, a video call), then try again.
          </p>
        ) : (
          <p>Use Google Chrome on the desk's https address, or contact your administrator.</p>
        )}
      </div>
    </Dialog>
  );
}
