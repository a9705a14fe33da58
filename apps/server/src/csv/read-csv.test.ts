import { describe, expect, it } from 'vitest';
import { CsvError, detectDelimiter, readCsv } from './read-csv';

const cells = async (text: string, delimiter?: ',' | ';' | '\t') =>
  (await readCsv(text, { delimiter })).records.map((r) => r.cells);

describe('readCsv', () => {
  it('keeps a comma inside a field of a semicolon file', async () => {
    const table = await readCsv('number;agent;note\n+12025550143;alice;call back, after 5pm\n');
    expect(table.delimiter).toBe(';');
    expect(table.records.map((r) => r.cells)).toEqual([
      ['number', 'agent', 'note'],
      ['+12025550143', 'alice', 'call back, after 5pm'],
    ]);
  });

  it('reads quoted fields with doubled quotes and line breaks, and gives each record its line', async () => {
    const table = await readCsv('a,b\r\n"x, y","say ""hi""\nand bye"\r\n1,2\r\n');
    expect(table.records).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 3, cells: ['x, y', 'say "hi"\nand bye'] },
      { line: 4, cells: ['1', '2'] },
    ]);
  });

  it('drops a BOM, skips blank lines and takes rows of uneven length', async () => {
    expect(await cells('\ufeffa;b\n\n1;2;3\n4\n')).toEqual([['a', 'b'], ['1', '2', '3'], ['4']]);
  });

  it("follows Excel's sep= line and tab-separated files", async () => {
    expect(await cells('sep=;\r\na;b,c\r\n1;2,5\r\n')).toEqual([
      ['a', 'b,c'],
      ['1', '2,5'],
    ]);
    expect(await cells('a\tb\n1\t2, 3\n')).toEqual([
      ['a', 'b'],
      ['1', '2, 3'],
    ]);
  });

  it('reads back the apostrophe an export puts before a formula-like cell', async () => {
    expect(await cells("number,note\n'+14155550100,'=SUM(A1)\n")).toEqual([
      ['number', 'note'],
      ['+14155550100', '=SUM(A1)'],
    ]);
  });

  it('uses the delimiter it is given over the one it would detect', async () => {
    expect(await cells('a,b;c\n1,2;3\n', ';')).toEqual([
      ['a,b', 'c'],
      ['1,2', '3'],
    ]);
  });

  it('refuses an unclosed quote, naming a line', async () => {
    const err = await readCsv('a,b\n1,"open\n2,3\n').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CsvError);
    expect((err as CsvError).line).toBeGreaterThanOrEqual(2);
    expect((err as CsvError).message).toMatch(/not valid CSV/);
  });
});

describe('detectDelimiter', () => {
  it('counts only outside quotes, on the first line with content', () => {
    expect(detectDelimiter('"a,b,c";d\n1,2,3,4,5').delimiter).toBe(';');
    expect(detectDelimiter('\n\nnumber,agent\n').delimiter).toBe(',');
    expect(detectDelimiter('just one column\n').delimiter).toBe(',');
  });
});
