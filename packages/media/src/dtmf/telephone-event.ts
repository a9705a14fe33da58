// RFC 4733 telephone-event payloads: 4 bytes — event, E|R|volume, duration (in timestamp units).

export const DTMF_DIGITS = '0123456789*#ABCD';

export interface TelephoneEvent {
  event: number;
  end: boolean;
  volume: number;
  duration: number;
}

export function digitToEvent(digit: string): number {
  const i = DTMF_DIGITS.indexOf(digit.toUpperCase());
  if (i < 0) throw new Error(`not a DTMF digit: ${JSON.stringify(digit)}`);
  return i;
}

export function eventToDigit(event: number): string | null {
  return DTMF_DIGITS[event] ?? null;
}

export function parseTelephoneEvent(buf: Buffer, offset: number, end: number): TelephoneEvent | null {
  if (end - offset < 4) return null;
  return {
    event: buf[offset]!,
    end: (buf[offset + 1]! & 0x80) !== 0,
    volume: buf[offset + 1]! & 0x3f,
    duration: buf.readUInt16BE(offset + 2),
  };
}

export function buildTelephoneEvent(event: number, end: boolean, volume: number, duration: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b[0] = event;
  b[1] = (end ? 0x80 : 0) | (volume & 0x3f);
  b.writeUInt16BE(Math.min(0xffff, duration), 2);
  return b;
}

/**
 * Turns a stream of telephone-event packets into digits. One key press is many packets sharing one RTP
 * timestamp (RFC 4733 §2.5.1.2), and the end packet is sent three times (§2.5.1.4); a digit is reported
 * once, on the first packet of the event, so a lost end packet never loses the digit. The identity is
 * (SSRC, timestamp, event) — sipp's pcaps send events on an SSRC of their own, so audio SSRC is not used.
 */
export class TelephoneEventDetector {
  /**
   * Last event per SSRC. Two event streams can interleave (sipp playing a pcap on its own SSRC while a
   * far end echoes ours), so one "last event" slot would see every packet as a new key press.
   */
  private readonly last = new Map<number, { timestamp: number; event: number; ended: boolean }>();

  /** Returns the digit when this packet starts a new event, else null. */
  push(ssrc: number, timestamp: number, ev: TelephoneEvent): string | null {
    const prev = this.last.get(ssrc);
    if (prev && prev.timestamp === timestamp && prev.event === ev.event) {
      if (ev.end) prev.ended = true;
      return null;
    }
    if (!prev && this.last.size >= 8) this.last.delete(this.last.keys().next().value!);
    this.last.set(ssrc, { timestamp, event: ev.event, ended: ev.end });
    return eventToDigit(ev.event);
  }
}

/**
 * The packet plan for sending one digit (RFC 4733 §2.5): all packets carry the event's start timestamp;
 * updates every 20 ms with growing duration, the first with the marker bit, then the end packet three
 * times. Returned as a list so the caller can pace it on the shared media clock.
 */
export function planDigit(
  digit: string,
  durationMs = 100,
  volume = 10,
): { payload: Buffer; marker: boolean }[] {
  const event = digitToEvent(digit);
  const steps = Math.max(1, Math.round(durationMs / 20));
  const out: { payload: Buffer; marker: boolean }[] = [];
  for (let i = 1; i <= steps; i++) {
    out.push({ payload: buildTelephoneEvent(event, false, volume, i * 160), marker: i === 1 });
  }
  for (let i = 0; i < 3; i++)
    out.push({ payload: buildTelephoneEvent(event, true, volume, steps * 160), marker: false });
  return out;
}
