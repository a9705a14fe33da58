import { describe, expect, it } from 'vitest';
import { csvText } from '../csv/csv-response';
import { detectDelimiter, parseRateCsv, rateCsvAlsoQuoted, rateCsvHeader, rateCsvRow } from './rate-csv';

// Writing the rates to the database and the HTTP answers are tested through the API in rating.test.ts.

const march1 = Date.UTC(2026, 2, 1);

describe('detectDelimiter', () => {
  it('takes the more frequent of ; and , outside quotes on the header line, else ,', () => {
    expect(detectDelimiter('prefix;description;rate\n44,1,2,3\n')).toBe(';');
    expect(detectDelimiter('"a;b;c",rate\n')).toBe(',');
    expect(detectDelimiter('\n\nprefix\n')).toBe(',');
  });
});

describe('parseRateCsv', () => {
  it('reads a semicolon file with decimal commas, header aliases, quotes and defaults', () => {
    const result = parseRateCsv(
      [
        'Prefix;Description;Rate per minute;Connect fee;Initial increment (s);Increment (s);Effective from',
        '+44;"United Kingdom; fixed";0,02;0;30;6;',
        "447;'=mobile;0,08;0,05;;;2026-03-01",
      ].join('\r\n'),
    );
    expect(result).toEqual({
      ok: true,
      delimiter: ';',
      rates: [
        {
          line: 2,
          prefix: '44',
          description: 'United Kingdom; fixed',
          pricePerMinuteMicros: 20_000,
          connectFeeMicros: 0,
          initialIncrementS: 30,
          incrementS: 6,
          effectiveFrom: 0,
        },
        {
          line: 3,
          prefix: '447',
          description: '=mobile',
          pricePerMinuteMicros: 80_000,
          connectFeeMicros: 50_000,
          initialIncrementS: 60,
          incrementS: 60,
          effectiveFrom: march1,
        },
      ],
    });
  });

  it('reports every bad field by line and field, and a repeated prefix and date, importing nothing', () => {
    const result = parseRateCsv(
      [
        'prefix,rate_per_minute,initial_increment_s,effective_from',
        '49,0.04,60,',
        '4x,0.04,60,',
        '50,abc,0,2026-13-01',
        '49,0.05,60,',
        '51,0.01,60,,extra',
      ].join('\n'),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errorCount).toBe(6);
    expect(result.errors).toEqual([
      { line: 3, field: 'prefix', message: '"4x" is not a prefix (1 to 15 digits)' },
      { line: 4, field: 'rate_per_minute', message: expect.stringMatching(/^"abc": /) },
      { line: 4, field: 'initial_increment_s', message: '"0" is not a number of seconds from 1 to 3600' },
      { line: 4, field: 'effective_from', message: expect.stringMatching(/is not a date/) },
      { line: 5, field: 'prefix', message: 'Prefix 49 with the same effective date is already on line 2' },
      { line: 6, field: null, message: '5 fields, the header has 4' },
    ]);
  });

  it('refuses a header with unknown, missing or repeated columns before reading any row', () => {
    const result = parseRateCsv('code,colour,dial code\n4x,red,44\n');
    expect(result).toEqual({
      ok: false,
      delimiter: ',',
      errorCount: 3,
      errors: [
        { line: 1, field: 'colour', message: 'Unknown column "colour"' },
        { line: 1, field: 'rate_per_minute', message: 'The file has no rate_per_minute column' },
        { line: 1, field: 'prefix', message: 'Two columns mean prefix' },
      ],
    });
  });

  it('refuses an empty file and a file that is not CSV', () => {
    expect(parseRateCsv('')).toMatchObject({
      ok: false,
      errors: [{ line: 1, field: null, message: expect.stringMatching(/^The file is empty/) }],
    });
    expect(parseRateCsv('prefix,rate\n"44,0.1\n')).toMatchObject({
      ok: false,
      errors: [{ field: null, message: expect.stringMatching(/^The file is not valid CSV/) }],
    });
  });
});

describe('rateCsvRow', () => {
  const rates = [
    {
      prefix: '44',
      description: 'United Kingdom; fixed',
      pricePerMinuteMicros: 20_000,
      connectFeeMicros: 0,
      initialIncrementS: 30,
      incrementS: 6,
      effectiveFrom: 0,
    },
    {
      prefix: '447',
      description: '=UK "mobile"',
      pricePerMinuteMicros: 80_000,
      connectFeeMicros: 50_000,
      initialIncrementS: 30,
      incrementS: 6,
      effectiveFrom: march1 + 12 * 3_600_000,
    },
  ];

  it('writes the header import reads, quotes ; and defuses a formula-like description', () => {
    expect(csvText([rateCsvHeader, ...rates.map(rateCsvRow)], rateCsvAlsoQuoted)).toBe(
      'prefix,description,rate_per_minute,connect_fee,initial_increment_s,increment_s,effective_from\r\n' +
        '44,"United Kingdom; fixed",0.02,0.00,30,6,\r\n' +
        `447,"'=UK ""mobile""",0.08,0.05,30,6,2026-03-01T12:00:00.000Z\r\n`,
    );
  });

  it('writes what parseRateCsv reads back as the same rates', () => {
    const text = csvText([rateCsvHeader, ...rates.map(rateCsvRow)], rateCsvAlsoQuoted);
    expect(parseRateCsv(`\ufeff${text}`)).toEqual({
      ok: true,
      delimiter: ',',
      rates: rates.map((r, i) => ({ line: i + 2, ...r })),
    });
  });
});
