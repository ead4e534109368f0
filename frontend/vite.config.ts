/// <reference types="vitest/config" />
// Build and dev-server settings; in development /api and /config.js come from the Flask app.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { initialJsBudget } from './tooling/initialJsBudget.ts';

const apiTarget = process.env.IMS_API_TARGET ?? 'http://localhost:8000';

export default defineConfig({
  // The build fails when the first screen's script grows past 150 kB gzipped.
  plugins: [react(), initialJsBudget(150)],
  server: {
    proxy: {
      '/api': apiTarget,
      '/config.js': apiTarget,
    },
  },
  build: {
    // Kept for error reports; production's nginx never serves them, and no script names them.
    sourcemap: 'hidden',
    chunkSizeWarningLimit: 900,
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}', 'tooling/**/*.test.ts'],
    css: false,
    restoreMocks: true,
    // Generous limits: CI machines are small and shared; these are correctness tests, not timings.
    testTimeout: 30_000,
  },
});
