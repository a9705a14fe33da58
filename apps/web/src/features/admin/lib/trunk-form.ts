/** `sip:host:port;params` → the form's parts (the scheme and any URI parameters are kept). */
export function splitTrunkUri(uri: string): { scheme: string; host: string; port: string; params: string } {
  const m = /^(sips?):(\[[^\]]+\]|[^:;]*)(?::(\d+))?(;.*)?$/.exec(uri.trim());
  if (!m) return { scheme: 'sip', host: uri.replace(/^sips?:/, ''), port: '', params: '' };
  return { scheme: m[1]!, host: m[2]!.replace(/^\[|\]$/g, ''), port: m[3] ?? '', params: m[4] ?? '' };
}

/** The form's parts → the trunk URI the server stores. */
export function joinTrunkUri(p: { scheme: string; host: string; port: string; params: string }): string {
  const host = p.host.trim().includes(':') ? `[${p.host.trim()}]` : p.host.trim();
  return `${p.scheme}:${host}${p.port.trim() ? `:${p.port.trim()}` : ''}${p.params}`;
}

/** What the form itself can tell before asking the server: host present, port 1 to 65535. */
export function trunkFormErrors(f: {
  host: string;
  port: string;
  dialerCallsPerSecond?: string;
  dialerMaxConcurrent?: string;
}): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!f.host.trim()) errors.host = 'Enter the carrier host name or IP address';
  else if (/[\s/@;]/.test(f.host.trim())) errors.host = 'A host name or IP address, without spaces or sip:';
  const port = f.port.trim();
  if (port && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535))
    errors.port = 'A port from 1 to 65535 (empty: 5060)';
  // The ranges are the server's to check; a value that is not a number never leaves the form.
  if (f.dialerCallsPerSecond?.trim() && !Number.isFinite(Number(f.dialerCallsPerSecond)))
    errors.dialerCallsPerSecond = 'Calls per second must be a number (empty: no cap of its own)';
  if (f.dialerMaxConcurrent?.trim() && !/^\d+$/.test(f.dialerMaxConcurrent.trim()))
    errors.dialerMaxConcurrent = 'Concurrent calls must be a whole number (empty: no cap of its own)';
  return errors;
}

/** A dialer cap as typed → the API's value: empty is none (the dialer's global caps apply). */
export function dialerCapValue(text: string): number | null {
  const t = text.trim();
  return t ? Number(t) : null;
}
