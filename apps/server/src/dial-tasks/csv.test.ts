import { describe, expect, it } from 'vitest';
import { mapHeader, parseCsv } from './csv';

describe('parseCsv', () => {
  it('reads quoted fields, doubled quotes, CRLF and a BOM', () => {
    const { rows, error } = parseCsv('\ufeffa,b,c\r\n"x, y","say ""hi""",\n1,2,3');
    expect(error).toBeNull();
    expect(rows).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', ''],
      ['1', '2', '3'],
    ]);
  });

  it('keeps newlines inside quotes and marks blank lines', () => {
    expect(parseCsv('a\n\n"l1\nl2"\n').rows).toEqual([['a'], [], ['l1\nl2']]);
  });

  it('accepts semicolons and tabs as separators', () => {
    expect(parseCsv('a;b\tc').rows).toEqual([['a', 'b', 'c']]);
  });

  it('reports an unclosed quote', () => {
    expect(parseCsv('a\n"open').error).toMatch(/Line 2: a quoted field is not closed/);
  });
});

describe('mapHeader', () => {
  it('maps headings by alias, case and spacing', () => {
    expect(mapHeader(['Phone Number', 'Agent', 'Start Date', 'End-Date', 'Notes']).columns).toEqual([
      'number',
      'agent',
      'start',
      'end',
      'note',
    ]);
  });

  it('names unknown, duplicate and missing columns', () => {
    const { errors } = mapHeader(['number', 'phone', 'when']);
    expect(errors).toEqual([
      'Column "phone" appears twice',
      'Unknown column "when"',
      'The header has no "agent" column',
      'The header has no "start" column',
      'The header has no "end" column',
    ]);
  });
});
