// SDP rewriting around werift (see README: werift defects). Pure string functions so they are unit-tested.

const ALLOWED = new Set(['pcmu/8000', 'pcma/8000', 'telephone-event/8000']);

/**
 * Keep only G.711 and telephone-event at 8000 Hz in every audio section of a remote offer.
 * werift matches codecs by name and ignores the clock rate, so for Chrome's offer (which lists
 * telephone-event/48000 before telephone-event/8000) it answers the /48000 one and the browser's DTMF,
 * sent at 8000 Hz alongside PCMU, is then never recognised. Removing the other rates before werift sees
 * the offer leaves it only the right choice.
 */
export function restrictOfferToG711(sdp: string): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(/\r?\n/);
  const out: string[] = [];
  let section: string[] = [];
  let isAudio = false;
  const flush = () => {
    if (!isAudio) {
      out.push(...section);
    } else {
      const keep = new Set<string>();
      const mline = section[0]!.split(' ');
      for (const l of section) {
        const m = /^a=rtpmap:(\d+)\s+(\S+)/.exec(l);
        if (m && ALLOWED.has(m[2]!.toLowerCase())) keep.add(m[1]!);
      }
      // Static PTs 0 and 8 may come without an rtpmap (RFC 3551).
      for (const pt of mline.slice(3))
        if ((pt === '0' || pt === '8') && !section.some((l) => l.startsWith(`a=rtpmap:${pt} `))) keep.add(pt);
      out.push([...mline.slice(0, 3), ...mline.slice(3).filter((pt) => keep.has(pt))].join(' '));
      for (const l of section.slice(1)) {
        const m = /^a=(rtpmap|fmtp|rtcp-fb):(\d+)/.exec(l);
        if (m && !keep.has(m[2]!)) continue;
        out.push(l);
      }
    }
    section = [];
  };
  for (const l of lines) {
    if (l.startsWith('m=')) {
      flush();
      isAudio = l.startsWith('m=audio');
    }
    section.push(l);
  }
  flush();
  return out.join(eol);
}

/**
 * Keep only host candidates on the addresses we advertise (werift also gathers every other
 * interface, and asks a public STUN host of its own choosing); with `ownServers`, also the relayed
 * and server-reflexive ones the operator's TURN/STUN servers gave.
 */
export function keepCandidates(sdp: string, addresses: string[], ownServers = false): string {
  const allowed = new Set(addresses);
  return sdp
    .split(/\r\n/)
    .filter((l) => {
      if (!l.startsWith('a=candidate:')) return true;
      const [, , , , addr, , , type] = l.split(' ');
      if (addr !== undefined && allowed.has(addr)) return true;
      return ownServers && (type === 'relay' || type === 'srflx');
    })
    .join('\r\n');
}

/** The audio section's direction attribute, from the local point of view given by this SDP. */
export function audioDirection(sdp: string): 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive' {
  const audio = sdp.split(/\r?\nm=/).find((s) => s.startsWith('audio') || s.startsWith('m=audio')) ?? sdp;
  const m = /\r?\na=(sendrecv|sendonly|recvonly|inactive)\b/.exec(`\n${audio}`);
  return (m?.[1] as 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive' | undefined) ?? 'sendrecv';
}
