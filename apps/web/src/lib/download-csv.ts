import { ApiRequestError } from './api-client';

export interface DownloadProgress {
  /** Data rows received so far (lines after the header; a note with line breaks may count twice). */
  rows: number;
  /** The rows the server said it is sending (`X-Row-Count`), when it said. */
  total: number | null;
}

function filenameOf(res: Response, fallback: string): string {
  const m = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '');
  return m?.[1] ?? fallback;
}

/**
 * Fetches a CSV export as it streams, reporting the rows received, then hands the file to the
 * browser as a download. A refused export throws the server's error like any API call.
 */
export async function downloadCsv(
  url: string,
  fallbackName: string,
  onProgress: (p: DownloadProgress) => void,
): Promise<void> {
  const res = await fetch(url, { credentials: 'same-origin' }).catch(() => {
    throw new ApiRequestError(
      0,
      'network',
      'The server cannot be reached. Check your connection and try again.',
    );
  });
  if (!res.ok || !res.body) {
    const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
    throw new ApiRequestError(
      res.status,
      body?.error?.code ?? 'http_error',
      body?.error?.message ?? `Export failed (${res.status})`,
    );
  }
  const total = Number(res.headers.get('x-row-count'));
  const progress: DownloadProgress = { rows: 0, total: Number.isFinite(total) && total >= 0 ? total : null };
  const chunks: Uint8Array[] = [];
  let lines = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    for (const byte of value) if (byte === 10) lines++;
    // The first line is the header.
    progress.rows = Math.max(0, lines - 1);
    if (progress.total !== null) progress.rows = Math.min(progress.rows, progress.total);
    onProgress({ ...progress });
  }
  const href = URL.createObjectURL(new Blob(chunks as BlobPart[], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = href;
  link.download = filenameOf(res, fallbackName);
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file once the click has been handled.
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
