import { type ReactNode, useRef } from 'react';
import { DialerContext } from '../../../lib/dialer';
import { useLiveEvent } from '../../../lib/live-events/live-events-provider';
import { useSoftphoneConfig } from '../api/get-softphone-config';
import { useAudioDevices } from '../hooks/use-audio-devices';
import { useCallQuality } from '../hooks/use-call-quality';
import { useDeskPhoneRegistration } from '../hooks/use-desk-phone-registration';
import { useDeviceChoices } from '../hooks/use-device-choices';
import { useIceServerRenewal } from '../hooks/use-ice-server-renewal';
import { useIncomingCallAlerts } from '../hooks/use-incoming-call-alerts';
import { useMicrophoneGate } from '../hooks/use-microphone-gate';
import { useSharedSnapshot } from '../hooks/use-shared-snapshot';
import { useSipEngine } from '../hooks/use-sip-engine';
import { SoftphoneContext } from '../hooks/use-softphone';
import { useSoftphoneDialer } from '../hooks/use-softphone-dialer';
import { useSoftphoneValue } from '../hooks/use-softphone-value';
import { useTabOwnership } from '../hooks/use-tab-ownership';
import { CallBar } from './call-bar';
import { DeviceNotices } from './device-notices';
import { MicrophoneHelpDialog } from './microphone-help-dialog';
import { NodeDrainNotice } from './node-drain-notice';

/**
 * The agent's phone for the whole signed-in app: web extensions register sip.js in the tab that
 * owns the softphone; SIP extensions follow the desk phone's registration from the live stream.
 * Mounted once in the app shell, with the one `<audio>` element that plays the remote party.
 * The hooks run in this order on purpose: their effects set up and tear down in it.
 */
export function SoftphoneProvider({
  userId,
  extension,
  children,
}: {
  /** Audio settings are remembered per user (in this browser). */
  userId: number;
  extension: { number: string; type: 'web' | 'sip' } | null;
  children: ReactNode;
}) {
  const mode = extension ? extension.type : 'none';
  const audioRef = useRef<HTMLAudioElement>(null);
  const { state: audio, preferencesRef } = useAudioDevices(userId);
  const notifyDevice = audio.notify;
  const config = useSoftphoneConfig(mode !== 'none');
  const web = config.data?.web ?? null;

  const { ownership, ownershipRef } = useTabOwnership(mode);
  const refetchConfig = config.refetch;
  const { engine, loadError, local } = useSipEngine({
    ownership,
    web,
    audioRef,
    refetchConfig,
    preferencesRef,
    notifyDevice,
  });
  useIceServerRenewal(engine, web?.iceServersExpireAt ?? null);
  useDeviceChoices(audioRef, audio.preferences, engine, notifyDevice);
  const connected = local?.call?.state === 'established';
  const quality = useCallQuality(ownership === 'owner' ? engine : null, connected);
  const remoteSnapshot = useSharedSnapshot(mode, ownership, local);
  const deskPhone = useDeskPhoneRegistration(
    extension,
    mode === 'sip' ? config.data?.registration : undefined,
  );

  // The switch names the party whenever the call changes hands (a consult completed, a conference
  // left): the bar follows it rather than the identity this phone was first rung with.
  useLiveEvent('call', (e) => {
    if (e.otherParty && (e.state === 'answered' || e.state === 'resumed' || e.state === 'conference'))
      engine?.showParty(e.callId, e.otherParty);
  });
  useIncomingCallAlerts(local?.call ?? null, preferencesRef);
  const { microphoneProblem, setMicrophoneProblem, withMicrophone } = useMicrophoneGate(preferencesRef);

  const snapshot = ownership === 'owner' ? local : remoteSnapshot;
  const setupError =
    loadError ??
    (config.error ? `Softphone settings could not be loaded: ${config.error.message}` : null) ??
    (config.data && mode === 'web' && !web ? 'The server gave no web softphone settings' : null);
  const value = useSoftphoneValue({
    mode,
    extension,
    ownership,
    ownershipRef,
    snapshot,
    setupError,
    deskPhone,
    microphoneProblem,
    setMicrophoneProblem,
    engine,
    withMicrophone,
    refetchConfig,
    audio,
    quality,
  });
  const dialer = useSoftphoneDialer(value);

  return (
    <SoftphoneContext.Provider value={value}>
      <DialerContext.Provider value={dialer}>
        {/* biome-ignore lint/a11y/useMediaCaption: a live phone call has no captions */}
        <audio ref={audioRef} autoPlay data-testid="softphone-audio" className="hidden" />
        {mode === 'web' ? <CallBar /> : null}
        <MicrophoneHelpDialog />
        {mode === 'web' ? <DeviceNotices /> : null}
        <NodeDrainNotice />
        {children}
      </DialerContext.Provider>
    </SoftphoneContext.Provider>
  );
}
