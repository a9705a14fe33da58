import { stringify } from 'csv-stringify/sync';

export type CsvValue = string | number | null;

/**
 * A text cell Excel or LibreOffice would run as a formula (`=`, `+`, `-`, `@`, tab, CR) is written
 * with a leading apostrophe, so an exported customer note cannot execute when the file is opened.
 */
export function csvSafeCell(value: CsvValue): string | number | null {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * Rows as CSV text, CRLF line ends (RFC 4180 and Excel), quoted only where needed, and also where a
 * field matches `alsoQuoted` (a file whose readers may split on another character, say `;`).
 */
export function csvText(rows: CsvValue[][], alsoQuoted?: RegExp): string {
  return stringify(
    rows.map((r) => r.map(csvSafeCell)),
    {
      record_delimiter: 'windows',
      cast: { number: (n) => String(n) },
      ...(alsoQuoted ? { quoted_match: alsoQuoted } : {}),
    },
  );
}

/**
 * A CSV download streamed batch by batch, so an export of any size never sits in memory: a BOM (Excel
 * reads UTF-8 only with one), the header, then each batch as it is read from the database.
 */
export function csvResponse(
  filename: string,
  header: string[],
  batches: AsyncIterator<CsvValue[][]>,
  onError: (err: unknown) => void,
  /** The data rows that will follow, when known: sent as `X-Row-Count` so a page can show progress. */
  rowCount?: number,
  /** Fields quoted besides those that must be (see csvText). */
  alsoQuoted?: RegExp,
): Response {
  const encoder = new TextEncoder();
  let headerSent = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(`\ufeff${csvText([header], alsoQuoted)}`));
          return;
        }
        const next = await batches.next();
        if (next.done) controller.close();
        else if (next.value.length) controller.enqueue(encoder.encode(csvText(next.value, alsoQuoted)));
      } catch (err) {
        onError(err);
        controller.error(err);
      }
    },
    async cancel() {
      await batches.return?.(undefined);
    },
  });
  return new Response(stream, {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
      ...(rowCount === undefined ? {} : { 'x-row-count': String(rowCount) }),
    },
  });
}
