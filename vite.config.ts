// Builds the browser consoles (operator, trainer, landing page) into dist/web, served by the relay.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = resolve(import.meta.dirname, 'web');

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  build: {
    outDir: resolve(import.meta.dirname, 'dist/web'),
    emptyOutDir: true,
    target: 'es2023',
    sourcemap: true,
    // Fonts are always files, never data: URLs: the relay's CSP allows fonts from 'self' only, and Vite would
    // otherwise inline the smallest slices of the Chinese web font (web/src/common/cjk-font.css).
    assetsInlineLimit: (file) => (file.endsWith('.woff2') ? false : undefined),
    rollupOptions: {
      input: {
        index: resolve(root, 'index.html'),
        console: resolve(root, 'console.html'),
        trainer: resolve(root, 'trainer.html'),
        report: resolve(root, 'report.html'),
      },
    },
  },
});
