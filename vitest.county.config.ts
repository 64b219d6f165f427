import { defineConfig } from 'vitest/config';

// The county's install and CI path with the real npm (test/county/): packs nianbao, runs npm ci in
// generated workspaces and their CI files in test/ci-sim.ts. Needs the npm registry (or a warm npm
// cache) and a few minutes, so it runs from .ci/run rather than `npm test`.
export default defineConfig({
  test: {
    include: ['test/county/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
