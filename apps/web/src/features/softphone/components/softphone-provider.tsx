import {
  type ReactNode,
  useCallback,
  useDeferredValue,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import { api } from '../../../lib/api-client';
import {
  type CallReference,
  clickToDialBody,
  type Dialer,
  DialerContext,
  referenceTarget,
} from '../../../lib/dialer';
import { useLiveEvent } from '../../../lib/live-events/live-events-provider';
import { showDesktopNotification } from '../../../lib/notify';
import { useSoftphoneConfig } from '../api/get-softphone-config';
import { useAudioDevices } from '../hooks/use-audio-devices';
import { useCallQuality } from '../hooks/use-call-quality';
import { type DeskPhoneStatus, SoftphoneContext, type SoftphoneContextValue } from '../hooks/use-softphone';
import { microphoneConstraints } from '../lib/audio-preferences';
import type { SoftphoneEngine, SoftphoneSnapshot } from '../lib/engine-types';
import { checkMicrophone, type MicrophoneProblem } from '../lib/microphone';
import { startRingtone } from '../lib/ringtone';
import { type Ownership, TabOwnership } from '../lib/tab-ownership';
import { CallBar } from './call-bar';
import { DeviceNotices } from './device-notices';
import { MicrophoneHelpDialog } from './microphone-help-dialog';

const channelName = 'switchboard-softphone';
type ChannelMessage = { type: 'snapshot'; snapshot: SoftphoneSnapshot } | { type: 'hello' };

const emptySubscribe = () => () => {};
const nullSnapshot = () => null;

function referenceHeader(reference: CallReference | undefined): string[] {
  if (!reference || !('callbackPlanId' in reference)) return [];
  return [`X-Switchboard-Callback: plan=${reference.callbackPlanId}`];
}

/**
 * The agent's phone for the whole signed-in app: web extensions register sip.js in the tab that
 * owns the softphone; SIP extensions follow the desk phone's registration from the live stream.
 * Mounted once in the app shell, with the one `<audio>` element that plays the remote party.
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

  // one tab owns the softphone
  const [ownership, setOwnership] = useState<Ownership>('pending');
  const ownershipRef = useRef<TabOwnership | null>(null);
  useEffect(() => {
    if (mode !== 'web') return;
    const locks = typeof navigator !== 'undefined' && navigator.locks ? navigator.locks : null;
    const t = new TabOwnership(locks);
    ownershipRef.current = t;
    t.subscribe(setOwnership);
    t.start();
    return () => {
      t.dispose();
      ownershipRef.current = null;
    };
  }, [mode]);

  // the engine (sip.js, loaded on demand) while this tab owns the softphone
  const [engine, setEngine] = useState<SoftphoneEngine | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const refetchConfig = config.refetch;
  useEffect(() => {
    if (ownership !== 'owner' || !web) return;
    let cancelled = false;
    let started: SoftphoneEngine | null = null;
    import('../lib/sip-engine')
      .then(({ createSipEngine }) => {
        if (cancelled) return;
        started = createSipEngine(web, {
          audioElement: () => audioRef.current,
          onCredentialsRejected: () => void refetchConfig(),
          microphoneConstraints: () => microphoneConstraints(preferencesRef.current),
          onMicrophoneLost: (label) =>
            notifyDevice({
              kind: 'unplugged',
              role: 'microphone',
              label,
              message: `${label} is no longer available: the microphone is now the system default.`,
            }),
        });
        started.start();
        setLoadError(null);
        setEngine(started);
      })
      .catch((err: unknown) => {
        if (!cancelled) setLoadError(`The softphone could not load (${String(err)}). Reload the page.`);
      });
    return () => {
      cancelled = true;
      if (started) void started.stop();
      setEngine(null);
    };
  }, [ownership, web, refetchConfig, preferencesRef, notifyDevice]);

  const local = useSyncExternalStore(
    engine?.subscribe ?? emptySubscribe,
    engine?.getSnapshot ?? nullSnapshot,
  );

  // The chosen devices apply at once, also to a call in progress: the speaker through the call
  // audio's sink, the microphone and its processing by swapping the sender's track.
  const { speakerId, microphoneId, echoCancellation, noiseSuppression, autoGainControl } = audio.preferences;
  useEffect(() => {
    const el = audioRef.current;
    if (!el?.setSinkId || el.sinkId === (speakerId ?? '')) return;
    el.setSinkId(speakerId ?? '').catch(() => {
      notifyDevice({
        kind: 'unplugged',
        role: 'speaker',
        label: 'The chosen speaker',
        message: 'The chosen speaker cannot play audio: calls play on the system default.',
      });
    });
  }, [speakerId, notifyDevice]);
  const microphoneKey = JSON.stringify([microphoneId, echoCancellation, noiseSuppression, autoGainControl]);
  const microphoneKeyRef = useRef(microphoneKey);
  useEffect(() => {
    if (microphoneKeyRef.current === microphoneKey) return;
    microphoneKeyRef.current = microphoneKey;
    engine?.replaceMicrophone().catch((err: unknown) => console.error('microphone change failed', err));
  }, [engine, microphoneKey]);
  const connected = local?.call?.state === 'established';
  const quality = useCallQuality(ownership === 'owner' ? engine : null, connected);

  // other tabs see the owner's state
  const [remoteSnapshot, setRemoteSnapshot] = useState<SoftphoneSnapshot | null>(null);
  const channelRef = useRef<BroadcastChannel | null>(null);
  const localRef = useRef(local);
  localRef.current = local;
  useEffect(() => {
    if (mode !== 'web' || typeof BroadcastChannel === 'undefined') return;
    const ch = new BroadcastChannel(channelName);
    channelRef.current = ch;
    ch.onmessage = (e: MessageEvent<ChannelMessage>) => {
      if (e.data.type === 'snapshot') setRemoteSnapshot(e.data.snapshot);
      else if (e.data.type === 'hello' && localRef.current)
        ch.postMessage({ type: 'snapshot', snapshot: localRef.current } satisfies ChannelMessage);
    };
    return () => {
      ch.close();
      channelRef.current = null;
    };
  }, [mode]);
  useEffect(() => {
    if (ownership === 'owner' && local)
      channelRef.current?.postMessage({ type: 'snapshot', snapshot: local });
    if (ownership === 'elsewhere')
      channelRef.current?.postMessage({ type: 'hello' } satisfies ChannelMessage);
  }, [ownership, local]);

  // SIP extension: the desk phone's registration, from the live stream
  const [deskPhone, setDeskPhone] = useState<DeskPhoneStatus>('unknown');
  // the state at page load comes with the softphone settings; later changes arrive as events
  const initialRegistration = mode === 'sip' ? config.data?.registration : undefined;
  useEffect(() => {
    if (initialRegistration) setDeskPhone(initialRegistration.registered ? 'registered' : 'unregistered');
  }, [initialRegistration]);
  useLiveEvent('registration', (e) => {
    if (extension && e.extension === extension.number)
      setDeskPhone(e.registered ? 'registered' : 'unregistered');
  });

  // The switch names the party whenever the call changes hands (a consult completed, a conference
  // left): the bar follows it rather than the identity this phone was first rung with.
  useLiveEvent('call', (e) => {
    if (e.otherParty && (e.state === 'answered' || e.state === 'resumed' || e.state === 'conference'))
      engine?.showParty(e.callId, e.otherParty);
  });

  // ringing: ringtone and a desktop notification
  const call = local?.call ?? null;
  const ringing = call?.direction === 'inbound' && call.state === 'ringing';
  const caller = call
    ? call.remoteName && call.remoteName !== call.remote
      ? `${call.remoteName} (${call.remote})`
      : call.remote
    : '';
  // While it rings the tab's title says so, so the agent sees it from another tab.
  useEffect(() => {
    if (!ringing) return;
    const before = document.title;
    document.title = `Incoming call · ${caller}`;
    return () => {
      document.title = before;
    };
  }, [ringing, caller]);
  useEffect(() => {
    if (!ringing) return;
    const stopRing = startRingtone(preferencesRef.current.ringerId);
    const closeNotification = showDesktopNotification(
      'Incoming call',
      `${caller}${call?.queue ? ` · ${call.queue}` : ''}`,
      'switchboard-incoming-call',
    );
    return () => {
      stopRing();
      closeNotification();
    };
  }, [ringing, caller, call?.queue, preferencesRef]);

  const [microphoneProblem, setMicrophoneProblem] = useState<MicrophoneProblem | null>(null);
  const withMicrophone = useCallback(
    async (action: () => Promise<void>) => {
      const problem = await checkMicrophone(microphoneConstraints(preferencesRef.current));
      setMicrophoneProblem(problem);
      if (!problem) await action();
    },
    [preferencesRef],
  );

  const snapshot = ownership === 'owner' ? local : remoteSnapshot;
  const setupError =
    loadError ??
    (config.error ? `Softphone settings could not be loaded: ${config.error.message}` : null) ??
    (config.data && mode === 'web' && !web ? 'The server gave no web softphone settings' : null);

  const value = useMemo<SoftphoneContextValue>(
    () => ({
      mode,
      extension: extension?.number ?? null,
      ownership,
      snapshot,
      remote: ownership !== 'owner',
      setupError,
      deskPhone,
      microphoneProblem,
      dismissMicrophoneProblem: () => setMicrophoneProblem(null),
      takeOver: () => ownershipRef.current?.takeOver(),
      retryNow: () => {
        if (setupError) void refetchConfig();
        engine?.retryNow();
      },
      dial: (number, headers, display) =>
        engine
          ? withMicrophone(() => engine.dial(number, { headers, display }))
          : Promise.reject(new Error('No softphone')),
      answer: () => (engine ? withMicrophone(() => engine.answer()) : Promise.resolve()),
      decline: () => engine?.decline() ?? Promise.resolve(),
      hangUp: () => engine?.hangUp() ?? Promise.resolve(),
      setMuted: (m) => engine?.setMuted(m),
      setHeld: (h) => engine?.setHeld(h) ?? Promise.resolve(),
      sendDtmf: (t) => engine?.sendDtmf(t) ?? Promise.resolve(),
      dismissEnded: () => engine?.dismissEnded(),
      audio,
      quality,
    }),
    [
      mode,
      extension,
      ownership,
      snapshot,
      setupError,
      deskPhone,
      microphoneProblem,
      engine,
      withMicrophone,
      refetchConfig,
      audio,
      quality,
    ],
  );

  // The dialer's users (call buttons all over the page) only need "ready, or why not": they get a
  // deferred copy of the reason and a dial function that does not change with every snapshot, so a
  // ringing call commits and paints the answer bar before they re-render (bench/desk/README.md).
  const reason =
    mode === 'none'
      ? 'You have no extension'
      : mode === 'sip'
        ? deskPhone === 'registered'
          ? null
          : 'Your desk phone is not registered'
        : ownership !== 'owner'
          ? 'The softphone is active in another tab'
          : snapshot?.registration.kind !== 'registered'
            ? 'The softphone is not registered'
            : snapshot.call && snapshot.call.state !== 'ended'
              ? 'Finish the current call first'
              : null;
  const deferredReason = useDeferredValue(reason);
  const valueRef = useRef(value);
  valueRef.current = value;
  const dialer = useMemo<Dialer>(
    () => ({
      ready: deferredReason === null,
      reason: deferredReason,
      dial: async (number: string, reference?: CallReference) => {
        // Desk phone: the switch rings it first, then calls the customer.
        if (mode === 'sip') {
          await api.post('/api/calls/click-to-dial', clickToDialBody(number, reference));
          return;
        }
        // Web extension: by reference the switch looks the real number up itself.
        await valueRef.current.dial(referenceTarget(reference) ?? number, referenceHeader(reference), number);
      },
    }),
    [mode, deferredReason],
  );

  return (
    <SoftphoneContext.Provider value={value}>
      <DialerContext.Provider value={dialer}>
        {/* biome-ignore lint/a11y/useMediaCaption: a live phone call has no captions */}
        <audio ref={audioRef} autoPlay data-testid="softphone-audio" className="hidden" />
        {mode === 'web' ? <CallBar /> : null}
        <MicrophoneHelpDialog />
        {mode === 'web' ? <DeviceNotices /> : null}
        {children}
      </DialerContext.Provider>
    </SoftphoneContext.Provider>
  );
}
