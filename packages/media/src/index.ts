export type { AudioTapSource, BridgeOptions, BridgeTap, DtmfMode } from './bridge';
export { Bridge } from './bridge';
export type { G711Law } from './codecs/g711';
export { decode, encode, transcodeInPlace } from './codecs/g711';
export type { CollectOptions, DigitListener } from './dtmf/digit-stream';
export { DigitStream } from './dtmf/digit-stream';
export { planDigit, TelephoneEventDetector } from './dtmf/telephone-event';
export type {
  AudioSink,
  CallQuality,
  Direction,
  DtmfSink,
  MediaLegEvents,
  MediaLegOptions,
} from './legs/media-leg';
export { MediaLeg } from './legs/media-leg';
export type { RtpLegOptions } from './legs/rtp-leg';
export { RtpLeg } from './legs/rtp-leg';
export type { IceServerOptions, WebRtcLegOptions } from './legs/webrtc-leg';
export { WebRtcLeg } from './legs/webrtc-leg';
export type { MediaEngineOptions } from './media-engine';
export { MediaEngine } from './media-engine';
export { ConferenceMixer } from './mixer/conference-mixer';
export { LocalMediaPlane } from './plane/local-media-plane';
export type {
  MediaPlane,
  PlaneBridge,
  PlaneConference,
  PlaneLeg,
  PlanePlayback,
  PlaneRecording,
  RecordingResult,
} from './plane/media-plane';
export { FRAME_MS, MediaClock, sharedClock } from './player/media-clock';
export type { Playback, PlaybackEnd, PlayOptions, PromptPlayerOptions } from './player/prompt-player';
export { DEFAULT_PROMPT_DIR, PromptPlayer } from './player/prompt-player';
export { playRingback } from './player/ringback';
export { sayDigits, sayMinutes, sayMoney, sayNumber } from './player/say';
export { decodeWav, encodeWavPcm16, parseWavHeader } from './player/wav';
export type { PortPoolOptions } from './port-pool';
export { PortPool } from './port-pool';
export { repairRecordings, WavRecorder } from './recorder/wav-recorder';
export type { AudioDescription } from './sdp/audio-sdp';
export { buildAudioSdp, parseAudioSdp } from './sdp/audio-sdp';
export { MediaWorker, RemoteLeg } from './worker/media-worker';
