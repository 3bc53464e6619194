/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  // amazon-cognito-identity-js (through its buffer dependency) expects Node's `global`.
  define: { global: 'globalThis' },
  build: {
    target: 'es2022',
    sourcemap: false,
    // The main chunk is React DOM, the router, TanStack Query, the Cognito client and the dashboard (~130 kB gzip).
    chunkSizeWarningLimit: 450,
  },
  server: {
    // `npm run dev` talks to a local stack started with `make run` (port 3000).
    proxy: { '/config.json': 'http://localhost:3000' },
    // The invoice languages' files live with the functions (Documents/Localization); the app previews from them.
    fs: { allow: ['..'] },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
  },
});
