import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The dashboard build: web/ → dist/web (served by `pathwise serve` at /). */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // Source maps stay out of the served folder; the bundle budget counts what browsers load.
    sourcemap: false,
    reportCompressedSize: false,
    // ECharts is one lazy chunk (~620 kB, ~205 kB gzipped); the budget test measures gzipped sizes.
    chunkSizeWarningLimit: 700,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8000' } },
});
