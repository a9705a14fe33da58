import { defineConfig } from 'vitest/config';

// One vitest run covers every workspace; each project keeps its tests beside its code.
export default defineConfig({
  test: {
    // Two files at a time: most suites wait on real time (prompts, timers, sipp), not on the CPU, and
    // every test takes free ports, so two runs side by side do not collide.
    maxWorkers: 2,
    projects: [
      { test: { name: 'shared', root: 'packages/shared', include: ['src/**/*.test.ts'] } },
      { test: { name: 'test-support', root: 'packages/test-support', include: ['src/**/*.test.ts'] } },
      {
        test: {
          name: 'sip',
          root: 'packages/sip',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'media',
          root: 'packages/media',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'server',
          root: 'apps/server',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'web',
          root: 'apps/web',
          include: ['src/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
        },
      },
    ],
  },
});
