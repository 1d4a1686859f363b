import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const here = import.meta.dirname;

/** The files the build is made from; src/console.rs's tests recompute this hash to catch a stale dist/. */
function sourceFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  const top = ['index.html', 'package.json', 'package-lock.json', 'tsconfig.json', 'vite.config.ts'].map((f) => join(here, f));
  return [...top, ...walk(join(here, 'src'))].map((f) => relative(here, f)).sort();
}

function sourceHash(): Plugin {
  return {
    name: 'glue-local-source-hash',
    transformIndexHtml() {
      const hash = createHash('sha256');
      for (const file of sourceFiles()) {
        hash.update(file).update('\0').update(readFileSync(join(here, file))).update('\0');
      }
      return [{ tag: 'meta', attrs: { name: 'glue-local-console-source', content: hash.digest('hex') }, injectTo: 'head' }];
    },
  };
}

// The console is served by glue-local itself under /_glue_local/ui/ (src/console.rs embeds dist/).
// Fixed file names (no content hashes): src/console.rs names each file it embeds.
export default defineConfig({
  base: '/_glue_local/ui/',
  plugins: [sourceHash()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    rolldownOptions: {
      output: {
        entryFileNames: 'assets/app.js',
        chunkFileNames: 'assets/[name].js',
        assetFileNames: 'assets/app[extname]',
      },
    },
  },
});
