import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/** An absolute path beside this file (no node: imports, so the web tsconfig needs no Node types). */
const here = (path: string) => decodeURIComponent(new URL(path, import.meta.url).pathname).replace(/\/$/, '');

/**
 * The web app for editors, reviewers and admins. The API serves the build at /app/ (contract §11).
 * `@imprimatur/domain/*` points at the shared pure domain code: import only browser-safe files
 * (articles/citations, articles/reference, articles/workflow, articles/anchor, articles/significance,
 * evidence/types, evidence/verdict, users/roles),
 * never the index (node:crypto).
 */
export default defineConfig({
  root: here('.'),
  base: '/app/',
  plugins: [react()],
  resolve: {
    alias: [{ find: /^@imprimatur\/domain\/(.*)$/, replacement: `${here('../../libs/domain/src')}/$1` }],
  },
  build: {
    outDir: here('../../dist/web'),
    emptyOutDir: true,
    // Mantine is most of the bundle; one vendor chunk keeps the app's own chunk small and cacheable.
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      // zod's sources have comments that mention `@__PURE__` where Rollup reads annotations: harmless, and not ours to fix.
      onwarn: (warning, warn) => {
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/zod/')) return;
        warn(warning);
      },
      output: {
        manualChunks: (id) => (id.includes('node_modules') ? 'vendor' : undefined),
      },
    },
  },
  server: {
    // `npx vite apps/web` during development: the API runs on :3000 beside it (/read: the reader pages the app links to).
    proxy: Object.fromEntries(
      ['/auth', '/me', '/users', '/articles', '/references', '/webhooks', '/audit', '/admin', '/public', '/read'].map(
        (path) => [path, 'http://localhost:3000'],
      ),
    ),
  },
  test: {
    root: here('.'),
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    css: false,
    restoreMocks: true,
    // Mantine's inputs re-render per keystroke; jsdom on 2 cores is not fast.
    testTimeout: 20_000,
  },
});
