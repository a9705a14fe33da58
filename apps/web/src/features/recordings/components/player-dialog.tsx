import { callTypeLabels, type Recording } from '@switchboard/shared';
import { useRef, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { errorMessage } from '../../../lib/field-errors';
import { formatDateTime } from '../../../lib/format';
import { useWaveform } from '../api/get-waveform';
import { recordingAudioUrl, recordingDownloadUrl } from '../api/search-recordings';
import { Waveform } from './waveform';

export function PlayerDialog({
  recording,
  timeZone,
  onClose,
}: {
  recording: Recording;
  timeZone: string;
  onClose: () => void;
}) {
  const audio = useRef<HTMLAudioElement>(null);
  const [progress, setProgress] = useState(0);
  const waveform = useWaveform(recording.id);
  return (
    <Dialog
      open
      size="lg"
      onClose={onClose}
      title={`Recording · ${recording.customerName ?? recording.customerNumber ?? 'Unknown caller'}`}
      description={`${callTypeLabels[recording.type]} · ${formatDateTime(recording.startedAt, timeZone)}${recording.agentName ? ` · ${recording.agentName}` : ''}`}
      footer={
        <>
          <a
            href={recordingDownloadUrl(recording.id)}
            download
            className="inline-flex items-center rounded-md bg-white px-3.5 py-2 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-slate-300 hover:bg-slate-50"
          >
            Download WAV
          </a>
          <Button onClick={onClose}>Close</Button>
        </>
      }
    >
      <div className="space-y-4">
        {waveform.isError ? (
          <Alert tone="error">{errorMessage(waveform.error)}</Alert>
        ) : waveform.data ? (
          <Waveform
            peaks={waveform.data}
            progress={progress}
            onSeek={(f) => {
              const el = audio.current;
              if (el && Number.isFinite(el.duration)) el.currentTime = f * el.duration;
            }}
          />
        ) : (
          <div className="flex h-24 items-center justify-center rounded-md bg-slate-50 text-sm text-slate-500">
            Drawing the waveform…
          </div>
        )}
        {/* biome-ignore lint/a11y/useMediaCaption: call recordings have no captions */}
        <audio
          ref={audio}
          controls
          preload="metadata"
          src={recordingAudioUrl(recording.id)}
          className="w-full"
          data-testid="recording-audio"
          onTimeUpdate={(e) => {
            const el = e.currentTarget;
            setProgress(el.duration ? el.currentTime / el.duration : 0);
          }}
        />
        <p className="text-xs text-slate-500">Left channel: customer · right channel: agent.</p>
      </div>
    </Dialog>
  );
}
