import { describe, expect, it } from 'vitest';
import { appendDialKey, dialTarget, isDialable, normalizeDialInput } from './dial-input';

describe('normalizeDialInput', () => {
  it('strips the formatting of a pasted number', () => {
    expect(normalizeDialInput('+1 (555) 010-2030')).toBe('+15550102030');
    expect(normalizeDialInput(' 020 7946.0018 ')).toBe('02079460018');
    expect(normalizeDialInput('+44\u00a020 7946 0018')).toBe('+442079460018');
  });

  it('keeps * and # and a + only at the front', () => {
    expect(normalizeDialInput('*97#')).toBe('*97#');
    expect(normalizeDialInput('12+34')).toBe('1234');
    expect(normalizeDialInput('++12')).toBe('+12');
  });

  it('drops letters and caps the length', () => {
    expect(normalizeDialInput('call 1002 now')).toBe('1002');
    expect(normalizeDialInput('1'.repeat(40))).toHaveLength(32);
    expect(normalizeDialInput('')).toBe('');
  });
});

describe('appendDialKey', () => {
  it('adds clicked or typed keys', () => {
    expect(appendDialKey('12', '3')).toBe('123');
    expect(appendDialKey('12', '#')).toBe('12#');
    expect(appendDialKey('', '+')).toBe('+');
  });

  it('ignores keys that cannot be dialed', () => {
    expect(appendDialKey('12', '+')).toBe('12');
    expect(appendDialKey('12', 'a')).toBe('12');
    expect(appendDialKey('12', 'Enter')).toBe('12');
  });
});

describe('isDialable', () => {
  it('needs at least one digit and nothing else but * # and a leading +', () => {
    expect(isDialable('1002')).toBe(true);
    expect(isDialable('+15550102030')).toBe(true);
    expect(isDialable('*97')).toBe(true);
    expect(isDialable('')).toBe(false);
    expect(isDialable('+')).toBe(false);
    expect(isDialable('*#')).toBe(false);
    expect(isDialable('12 34')).toBe(false);
  });
});

describe('dialTarget', () => {
  it('dials within the domain of the agent SIP URI', () => {
    expect(dialTarget('1002', 'sip:1001@127.0.0.1')).toBe('sip:1002@127.0.0.1');
    expect(dialTarget('+15550102030', 'sip:1001@pbx.example.com')).toBe('sip:+15550102030@pbx.example.com');
  });
});
