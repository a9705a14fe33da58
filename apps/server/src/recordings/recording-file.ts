import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * The file of a recording: its DB path is relative to the recordings directory. A path that escapes
 * the directory (absolute, `..`, or a symlink pointing out) is refused as if missing.
 */
export async function resolveRecordingFile(
  recordingsDir: string,
  relative: string,
): Promise<{ file: string; size: number } | null> {
  if (!relative || path.isAbsolute(relative) || relative.includes('\0')) return null;
  const root = path.resolve(recordingsDir);
  const candidate = path.resolve(root, relative);
  if (!isInside(root, candidate)) return null;
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(candidate)]);
    if (!isInside(realRoot, realFile)) return null;
    const s = await stat(realFile);
    if (!s.isFile()) return null;
    return { file: realFile, size: s.size };
  } catch {
    return null;
  }
}

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

export type ByteRange = { start: number; end: number };

/**
 * RFC 9110 §14 single byte range. `null`: no Range header (or another unit) → the whole file.
 * `'unsatisfiable'`: a bytes range that is malformed, several ranges, or outside the file → 416.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | null | 'unsatisfiable' {
  if (!header) return null;
  const m = /^\s*bytes\s*=\s*(.*)$/i.exec(header);
  if (!m) return null;
  const spec = m[1]!.trim();
  const one = /^(\d*)\s*-\s*(\d*)$/.exec(spec);
  if (!one) return 'unsatisfiable';
  const [, a, b] = one as unknown as [string, string, string];
  if (a === '' && b === '') return 'unsatisfiable';
  if (a === '') {
    const suffix = Number(b);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(a);
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (start >= size || (b !== '' && Number(b) < start)) return 'unsatisfiable';
  return { start, end };
}
