import { defineConfig } from 'vitest/config';

// `npm test`: everything that needs only Node and npm packages. The real-client checks
// (LibreOffice, Chromium, poppler) live in test/clients/ and run from .ci/run with vitest.clients.config.ts;
// the county install and CI simulation (real npm, minutes) in test/county/ with vitest.county.config.ts.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/clients/**', 'test/county/**', 'node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    globalSetup: ['test/temp-root.ts'],
  },
});
