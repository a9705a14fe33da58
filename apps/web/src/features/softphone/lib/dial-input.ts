/** Characters a dial string may hold: digits, * and #, and a leading + for E.164. */
const dialChars = /[0-9*#]/;

/**
 * Turns typed or pasted text into a dial string: keeps digits, `*` and `#`, and a `+` only in front;
 * drops spaces, dashes, dots, brackets and any other formatting (`+1 (555) 010-2030` → `+15550102030`).
 * Letters are dropped too: phone words are not dialed.
 */
export function normalizeDialInput(text: string): string {
  const trimmed = text.trim();
  let out = '';
  for (const ch of trimmed) {
    if (dialChars.test(ch)) out += ch;
    else if (ch === '+' && out === '') out = '+';
  }
  // "00" international prefix stays as typed: the switch decides how to route it.
  return out.slice(0, 32);
}

/** Appends one key press (a digit, * or #, or + on an empty field) to the current dial string. */
export function appendDialKey(current: string, key: string): string {
  if (key === '+' && current === '') return '+';
  if (key.length !== 1 || !dialChars.test(key)) return current;
  return (current + key).slice(0, 32);
}

/** What can be dialed: at least one digit (an extension `1002`, `*97`, `+15550102030`). */
export function isDialable(value: string): boolean {
  return /[0-9]/.test(value) && /^\+?[0-9*#]+$/.test(value);
}

/** `sip:<number>@<domain>` for the Inviter; `domain` is the host of the agent's own SIP URI. */
export function dialTarget(number: string, sipUri: string): string {
  const domain =
    sipUri
      .replace(/^sips?:/, '')
      .split('@')
      .pop() ?? '';
  return `sip:${number}@${domain}`;
}
