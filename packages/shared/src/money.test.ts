import { describe, expect, it } from 'vitest';
import { currencyDigits, formatMicros, formatMinor, isKnownCurrency, parseMicros, parseMoney } from './money';

describe('money', () => {
  it('knows ISO currencies and their minor units', () => {
    expect(isKnownCurrency('USD')).toBe(true);
    expect(isKnownCurrency('usd')).toBe(false);
    expect(isKnownCurrency('XYZ')).toBe(false);
    expect(currencyDigits('USD')).toBe(2);
    expect(currencyDigits('JPY')).toBe(0);
    expect(currencyDigits('BHD')).toBe(3);
  });

  it('parses amounts digit by digit, refusing negatives, text and extra places', () => {
    expect(parseMoney('12.50', 'USD')).toEqual({ ok: true, value: 1250 });
    expect(parseMoney(12.5, 'USD')).toEqual({ ok: true, value: 1250 });
    expect(parseMoney('0.1', 'USD')).toEqual({ ok: true, value: 10 });
    expect(parseMoney('300', 'JPY')).toEqual({ ok: true, value: 300 });
    expect(parseMoney('-5', 'USD').ok).toBe(false);
    expect(parseMoney('ten', 'USD').ok).toBe(false);
    expect(parseMoney('1e3', 'USD').ok).toBe(false);
    expect(parseMoney('1.005', 'USD').ok).toBe(false);
    expect(parseMoney('1.5', 'JPY').ok).toBe(false);
    expect(parseMoney(0.1 + 0.2, 'USD').ok).toBe(false);
    expect(parseMoney(Number.NaN, 'USD').ok).toBe(false);
    expect(parseMicros('0.0125')).toEqual({ ok: true, value: 12_500 });
  });

  it('formats minor units and micros', () => {
    expect(formatMinor(1250, 'USD')).toBe('12.50');
    expect(formatMinor(-5, 'USD')).toBe('-0.05');
    expect(formatMinor(0, 'USD')).toBe('0.00');
    expect(formatMinor(300, 'JPY')).toBe('300');
    expect(formatMinor(1234, 'BHD')).toBe('1.234');
    expect(formatMicros(12_500)).toBe('0.0125');
    expect(formatMicros(1_000_000)).toBe('1.00');
    expect(formatMicros(0)).toBe('0.00');
  });
});
