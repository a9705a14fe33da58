// `npm test`: lint + typecheck, unit and integration tests (SQLite, and PostgreSQL when
// TEST_DATABASE_URL is set), then the Playwright suite against a freshly started server.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'sb-test-run-'));
const vitestJson = path.join(tmp, 'vitest.json');
const playwrightJson = path.join(tmp, 'playwright.json');
const bin = (name) => path.join(root, 'node_modules/.bin', name);

function run(title, cmd, args, env = {}) {
  console.log(`\n=== ${title} ===`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(
    `=== ${title}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s ===`,
  );
  return r.status === 0;
}

if (!process.env.TEST_DATABASE_URL) {
  console.log('TEST_DATABASE_URL is not set: the PostgreSQL suites are skipped.');
  console.log('Enable them with TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm test');
}

const results = [];
results.push(['check', run('check: typecheck + biome', 'npm', ['run', 'check'])]);
results.push([
  'vitest',
  run('unit and integration tests (vitest)', bin('vitest'), [
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${vitestJson}`,
  ]),
]);
results.push(['build', run('web build', 'npm', ['run', 'build', '-w', 'apps/web'])]);
results.push([
  'playwright',
  run(
    'end-to-end tests (Playwright, Debian Chromium)',
    bin('playwright'),
    ['test', '-c', 'playwright/playwright.config.ts', '--reporter=list,json'],
    {
      PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson,
    },
  ),
]);

const firstLines = (text) =>
  String(text ?? '')
    .replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '')
    .split('\n')
    .filter((line) => line.trim())
    .slice(0, 6)
    .join('\n    ');

function vitestFailures(report) {
  const out = [];
  for (const file of report.testResults ?? []) {
    const where = path.relative(root, file.name);
    const failedTests = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const t of failedTests)
      out.push({ name: `${where} › ${t.fullName}`, message: t.failureMessages?.[0] });
    if (file.status === 'failed' && failedTests.length === 0)
      out.push({ name: where, message: file.message });
  }
  return out;
}

function playwrightFailures(suites, out = []) {
  for (const suite of suites) {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status === 'expected' || test.status === 'skipped') continue;
        const error = test.results?.find((r) => r.error)?.error;
        out.push({
          name: `${spec.file}:${spec.line} › ${spec.title} (${test.status})`,
          message: error?.message,
        });
      }
    }
    playwrightFailures(suite.suites ?? [], out);
  }
  return out;
}

const failures = [];
let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(vitestJson)) {
  const v = JSON.parse(readFileSync(vitestJson, 'utf8'));
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += v.numPendingTests + v.numTodoTests;
  failures.push(...vitestFailures(v));
}
if (existsSync(playwrightJson)) {
  const p = JSON.parse(readFileSync(playwrightJson, 'utf8'));
  passed += p.stats.expected;
  failed += p.stats.unexpected + p.stats.flaky;
  skipped += p.stats.skipped;
  failures.push(...playwrightFailures(p.suites ?? []));
}
// CI shows only the end of the log: name every failed test there, with the first lines of its error.
if (failures.length) {
  console.log('\nFailed tests:');
  for (const f of failures) console.log(`- ${f.name}\n    ${firstLines(f.message)}`);
}
const failedSteps = results.filter(([, ok]) => !ok).map(([name]) => name);
if (failedSteps.length) console.log(`\nFailed steps: ${failedSteps.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedSteps.length ? 1 : 0);
