import { defineConfig } from 'vitest/config';

// The county's install and CI path with the real npm (test/county/): setup.ts packs nianbao once, the
// files run npm ci in generated workspaces and their CI files in test/ci-sim.ts. Needs the npm registry
// (or a warm npm cache) and a few minutes, so it runs from .ci/run rather than `npm test`. The files
// mostly wait on npm and child processes: three run at once.
export default defineConfig({
  test: {
    include: ['test/county/**/*.test.ts'],
    globalSetup: ['test/temp-root.ts', 'test/county/setup.ts'],
    maxWorkers: 3,
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
