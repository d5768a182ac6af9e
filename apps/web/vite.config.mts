import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run build` builds the console into dist/web; the gateway serves it at `/` (WEB_ROOT).
const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    // hashed files under /assets/: the gateway caches them for a year, index.html never
    assetsDir: 'assets',
    sourcemap: false,
    target: 'es2022',
  },
  // `npx vite --config apps/web/vite.config.mts` against a running gateway (npm start)
  server: { proxy: { '/api': process.env.ISH_GATEWAY_URL ?? 'http://127.0.0.1:8080' } },
});
