import type { MediaLeg } from '../legs/media-leg';

/**
 * Silences a leg by parking its audio sink (the bridge's or mixer's forwarder) and restoring it: the
 * bridge and any recorder tap stay in place, so resuming is exact.
 */
export class LegSilencer {
  private readonly parked = new Map<MediaLeg, MediaLeg['audioSink']>();

  set(leg: MediaLeg, silent: boolean): void {
    if (silent && !this.parked.has(leg)) {
      this.parked.set(leg, leg.audioSink);
      leg.audioSink = null;
    } else if (!silent && this.parked.has(leg)) {
      leg.audioSink = this.parked.get(leg) ?? null;
      this.parked.delete(leg);
    }
  }

  forget(leg: MediaLeg): void {
    this.parked.delete(leg);
  }
}
