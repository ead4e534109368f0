// The first screen's JavaScript budget, checked by every build: the entry chunk and the chunks it imports
// statically (what the browser must download before anything shows), gzipped, at most `limitKb` kB.
// Chunks behind import() (the lazy pages, the password dictionary, the Auth0 SDK) do not count.
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

export interface BuiltChunk {
  fileName: string;
  code: string;
  isEntry: boolean;
  imports: string[];
}

export interface InitialJs {
  files: { fileName: string; gzipBytes: number }[];
  gzipBytes: number;
}

export function measureInitialJs(chunks: BuiltChunk[]): InitialJs {
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const seen = new Set<string>();
  const visit = (name: string) => {
    const chunk = byName.get(name);
    if (!chunk || seen.has(name)) return;
    seen.add(name);
    chunk.imports.forEach(visit);
  };
  chunks.filter((chunk) => chunk.isEntry).forEach((entry) => visit(entry.fileName));
  const files = [...seen].map((fileName) => ({ fileName, gzipBytes: gzipSync(byName.get(fileName)!.code).length }));
  return { files, gzipBytes: files.reduce((sum, file) => sum + file.gzipBytes, 0) };
}

export function initialJsBudget(limitKb: number): Plugin {
  return {
    name: 'initial-js-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).flatMap((output) => (output.type === 'chunk' ? [output] : []));
      const { files, gzipBytes } = measureInitialJs(chunks);
      const kb = (bytes: number) => (bytes / 1000).toFixed(1);
      const detail = files.map((file) => `${file.fileName} ${kb(file.gzipBytes)} kB`).join(', ');
      if (gzipBytes > limitKb * 1000) {
        this.error(`The first screen's JavaScript is ${kb(gzipBytes)} kB gzipped, over the ${limitKb} kB budget ` +
          `(${detail}). Load the new code with import() where it is used.`);
      }
      this.info(`first screen's JavaScript: ${kb(gzipBytes)} kB gzipped of ${limitKb} kB (${detail})`);
    },
  };
}
