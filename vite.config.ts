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
