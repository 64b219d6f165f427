import { defineConfig } from 'vitest/config';

// Real-client checks: need Debian's libreoffice-writer-nogui, chromium and poppler-utils (.ci/run installs them).
export default defineConfig({
  test: {
    include: ['test/clients/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    globalSetup: ['test/temp-root.ts'],
  },
});
