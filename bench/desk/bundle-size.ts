// The desk route's first-load JavaScript (budget: ≤ 200 KB gzip; sip.js and charts load when needed).
//   npx tsx bench/desk/bundle-size.ts [--dist apps/web/dist] [--budget 200]
//   npm run bench -- desk-bundle [options]
// Builds the SPA with Vite into a temporary folder (or reads an existing build with --dist), reads the
// built index.html's <script type="module"> and <link rel="modulepreload"> tags, follows the static
// imports between chunks (what the browser must fetch before the app runs), gzips each file (zlib
// level 6, what servers and CDNs commonly use; level 9 beside it), and lists the chunks loaded later by
// dynamic import(). The source maps attribute each chunk's bytes to npm packages and app folders, which
// shows where sip.js and recharts (with its d3/redux dependencies) ended up.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const budgetKb = Number(arg('budget', '200'));
const root = resolve(import.meta.dirname, '../..');
/** Packages that must stay out of the first load: the softphone's SIP stack and the charts. */
const LAZY_ONLY = [
  'sip.js',
  'recharts',
  'victory-vendor',
  '@reduxjs/toolkit',
  'react-redux',
  'redux',
  'immer',
  'reselect',
  'decimal.js-light',
  'es-toolkit',
];
const isLazyOnly = (pkg: string) => LAZY_ONLY.includes(pkg) || pkg.startsWith('d3-');

// ---- the build ----------------------------------------------------------------------------------
let dist = arg('dist', '');
let temp: string | null = null;
if (dist) dist = resolve(dist);
else {
  temp = mkdtempSync(join(tmpdir(), 'sb-desk-bundle-'));
  dist = join(temp, 'dist');
  const r = spawnSync(join(root, 'node_modules/.bin/vite'), ['build', '--outDir', dist, '--emptyOutDir'], {
    cwd: join(root, 'apps/web'),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) {
    console.error('vite build failed');
    process.exit(1);
  }
}
process.on('exit', () => {
  if (temp) rmSync(temp, { recursive: true, force: true });
});

// ---- sizes --------------------------------------------------------------------------------------
interface Sizes {
  raw: number;
  gzip: number;
  gzip9: number;
  brotli: number;
}
function sizes(file: string): Sizes {
  const buf = readFileSync(file);
  return {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 6 }).length,
    gzip9: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf).length,
  };
}
const kb = (n: number) => (n / 1000).toFixed(1);

// ---- the entry: index.html's tags, then static imports between chunks --------------------------
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const tagUrls = (re: RegExp) => [...html.matchAll(re)].map((m) => m[1]!);
const entryScripts = tagUrls(/<script[^>]*type="module"[^>]*src="([^"]+)"/g);
const preloads = tagUrls(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g);
const styles = tagUrls(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g);
const fileOf = (url: string) => join(dist, url.replace(/^\//, ''));

/** Static `import … from "./x.js"` / `import "./x.js"` / `export … from` of a chunk (not `import()`). */
function staticImports(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of code.matchAll(
    /(?:^|[;\n}])\s*(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["'`]([^"'`]+\.js)["'`]/g,
  ))
    out.push(join(dirname(file), m[1]!));
  return out;
}
function dynamicImports(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  return [...code.matchAll(/import\(\s*["'`]([^"'`]+\.js)["'`]\s*\)/g)].map((m) =>
    join(dirname(file), m[1]!),
  );
}

const firstLoad = new Set<string>();
const queue = [...entryScripts, ...preloads].map(fileOf);
while (queue.length) {
  const f = queue.shift()!;
  if (firstLoad.has(f) || !existsSync(f)) continue;
  firstLoad.add(f);
  queue.push(...staticImports(f));
}
const assets = join(dist, 'assets');
const allJs = readdirSync(assets)
  .filter((f) => f.endsWith('.js'))
  .map((f) => join(assets, f));
const lazy = allJs.filter((f) => !firstLoad.has(f));

// ---- source-map attribution ---------------------------------------------------------------------
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_VALUE = new Map([...B64].map((c, i) => [c, i]));
function decodeSegment(seg: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const c of seg) {
    const digit = B64_VALUE.get(c) ?? 0;
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}
function packageOf(source: string): string {
  const s = source.replaceAll('\\', '/');
  const i = s.lastIndexOf('node_modules/');
  if (i >= 0) {
    const parts = s.slice(i + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const m = /(apps\/web\/src\/(?:features\/[^/]+|[^/]+)|packages\/[^/]+)/.exec(s);
  if (m) return m[1]!;
  return s.includes('vite') ? '(vite runtime)' : s;
}
/** The generated chunk's text per package (by the source of each mapped segment). */
function attribute(file: string): Map<string, string[]> | null {
  const mapFile = `${file}.map`;
  if (!existsSync(mapFile)) return null;
  const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[]; mappings: string };
  const lines = readFileSync(file, 'utf8').split('\n');
  const mappingLines = map.mappings.split(';');
  const byPkg = new Map<string, string[]>();
  const add = (pkg: string, text: string) => {
    if (!text) return;
    const list = byPkg.get(pkg);
    if (list) list.push(text);
    else byPkg.set(pkg, [text]);
  };
  let source = 0;
  lines.forEach((line, li) => {
    let col = 0;
    let start = 0;
    let owner = '(unmapped)';
    for (const seg of (mappingLines[li] ?? '').split(',')) {
      if (!seg) continue;
      const f = decodeSegment(seg);
      col += f[0] ?? 0;
      add(owner, line.slice(start, col));
      start = col;
      if (f.length >= 4) {
        source += f[1]!;
        owner = packageOf(map.sources[source] ?? '?');
      } else owner = '(unmapped)';
    }
    add(owner, `${line.slice(start)}\n`);
  });
  return byPkg;
}

// ---- report -------------------------------------------------------------------------------------
const rel = (f: string) => relative(dist, f).split('\\').join(posix.sep);
const out: string[] = [];
const firstSizes = [...firstLoad].map((f) => ({ f, s: sizes(f) }));
const total = firstSizes.reduce(
  (a, { s }) => ({
    raw: a.raw + s.raw,
    gzip: a.gzip + s.gzip,
    gzip9: a.gzip9 + s.gzip9,
    brotli: a.brotli + s.brotli,
  }),
  { raw: 0, gzip: 0, gzip9: 0, brotli: 0 },
);
out.push(`Desk route, first load — ${dist}${temp ? ' (fresh vite build)' : ''}`);
out.push(
  `entry: ${entryScripts.join(', ') || '(none)'}; modulepreload: ${preloads.join(', ') || '(none)'}; stylesheet: ${styles.join(', ') || '(none)'}`,
);
out.push('');
out.push('| file | loaded | minified kB | gzip kB (level 6) | gzip -9 kB | brotli kB |');
out.push('| --- | --- | --: | --: | --: | --: |');
for (const { f, s } of firstSizes)
  out.push(`| ${rel(f)} | first load | ${kb(s.raw)} | ${kb(s.gzip)} | ${kb(s.gzip9)} | ${kb(s.brotli)} |`);
out.push(
  `| **first-load JS** | | **${kb(total.raw)}** | **${kb(total.gzip)}** | ${kb(total.gzip9)} | ${kb(total.brotli)} |`,
);
for (const f of lazy) {
  const s = sizes(f);
  const by = allJs.filter((o) => dynamicImports(o).includes(f)).map(rel);
  out.push(
    `| ${rel(f)} | lazy (import() in ${by.join(', ') || '?'}) | ${kb(s.raw)} | ${kb(s.gzip)} | ${kb(s.gzip9)} | ${kb(s.brotli)} |`,
  );
}
for (const css of styles) {
  const s = sizes(fileOf(css));
  out.push(
    `| ${css.replace(/^\//, '')} (CSS, not counted) | first load | ${kb(s.raw)} | ${kb(s.gzip)} | ${kb(s.gzip9)} | ${kb(s.brotli)} |`,
  );
}
out.push('');
const verdict = total.gzip <= budgetKb * 1000;
out.push(
  `first-load JS gzip: ${kb(total.gzip)} kB (${total.gzip} bytes) — budget ${budgetKb} kB: ${verdict ? 'WITHIN' : 'OVER'} (${kb(Math.abs(budgetKb * 1000 - total.gzip))} kB ${verdict ? 'to spare' : 'over'})`,
);

// where the bytes come from, and where sip.js / recharts are
const leaks: string[] = [];
const homes = new Map<string, Set<string>>();
out.push('');
for (const f of [...firstLoad, ...lazy]) {
  const by = attribute(f);
  if (!by) {
    out.push(`${rel(f)}: no source map`);
    continue;
  }
  const chars = new Map(
    [...by.entries()].map(([pkg, parts]) => [pkg, parts.reduce((a, t) => a + t.length, 0)]),
  );
  const sum = [...chars.values()].reduce((a, b) => a + b, 0);
  const top = [...chars.entries()].sort((a, b) => b[1] - a[1]);
  for (const [pkg] of top) {
    if (isLazyOnly(pkg)) {
      if (firstLoad.has(f)) leaks.push(`${pkg} in ${rel(f)}`);
      const key = pkg.startsWith('d3-') ? 'd3-*' : pkg;
      if (!homes.has(key)) homes.set(key, new Set());
      homes.get(key)!.add(rel(f));
    }
  }
  if (firstLoad.has(f)) {
    // the first load in detail: each package's code gzipped on its own (an estimate: the parts of a
    // chunk compress a little better together than apart)
    out.push(`${rel(f)} (first load) by package:`);
    out.push('');
    out.push('| package / app folder | share | minified kB | ≈ gzip kB (alone) |');
    out.push('| --- | --: | --: | --: |');
    const shown = top.filter(([, n]) => n / sum >= 0.01);
    for (const [pkg, n] of shown)
      out.push(
        `| ${pkg} | ${((100 * n) / sum).toFixed(1)} % | ${kb(n)} | ${kb(gzipSync(by.get(pkg)!.join('')).length)} |`,
      );
    const rest = top.slice(shown.length);
    const restText = rest.map(([pkg]) => by.get(pkg)!.join('')).join('');
    out.push(
      `| ${rest.length} others (< 1 % each) | ${((100 * restText.length) / sum).toFixed(1)} % | ${kb(restText.length)} | ${kb(gzipSync(restText).length)} |`,
    );
    out.push('');
  } else
    out.push(
      `${rel(f)} (lazy): ${top
        .slice(0, 8)
        .map(([pkg, n]) => `${pkg} ${((100 * n) / sum).toFixed(0)} %`)
        .join(', ')}${top.length > 8 ? `, … (${top.length} groups)` : ''}`,
    );
}
out.push('');
for (const [pkg, files] of [...homes.entries()].sort())
  out.push(
    `${pkg}: ${[...files].join(', ')}${[...files].some((f) => firstLoad.has(join(dist, f))) ? '  ← FIRST LOAD' : ''}`,
  );
out.push(
  leaks.length
    ? `NOT lazy: ${leaks.join('; ')}`
    : 'sip.js and recharts (with its d3 / redux dependencies) are only in lazy chunks: none is in the first load.',
);
console.log(out.join('\n'));
process.exitCode = verdict && leaks.length === 0 ? 0 : 1;
