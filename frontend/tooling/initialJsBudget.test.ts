import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { initialJsBudget, measureInitialJs, type BuiltChunk } from './initialJsBudget';

const chunk = (fileName: string, code: string, imports: string[] = [], isEntry = false): BuiltChunk => ({
  fileName,
  code,
  imports,
  isEntry,
});
const gz = (code: string) => gzipSync(code).length;

describe('the first screen’s JavaScript', () => {
  it('counts the entry and what it imports statically, once each, and nothing behind import()', () => {
    const shared = 'export const shared = ' + JSON.stringify('x'.repeat(400));
    const chunks = [
      chunk('index.js', 'import "./vendor.js"; import "./shared.js"; import("./lazy.js")', ['vendor.js', 'shared.js'], true),
      chunk('vendor.js', 'import "./shared.js"; export const react = 1', ['shared.js']),
      chunk('shared.js', shared),
      chunk('lazy.js', 'export const dictionary = ' + JSON.stringify('y'.repeat(5000))),
    ];
    const measured = measureInitialJs(chunks);
    expect(measured.files.map((file) => file.fileName).sort()).toEqual(['index.js', 'shared.js', 'vendor.js']);
    expect(measured.gzipBytes).toBe(gz(chunks[0]!.code) + gz(chunks[1]!.code) + gz(shared));
  });

  it('fails the build above the budget and lets it through at or below', () => {
    const bundle = { 'index.js': { type: 'chunk', ...chunk('index.js', 'x'.repeat(50_000), [], true) } };
    const size = gz('x'.repeat(50_000));
    const run = (limitKb: number) => {
      const plugin = initialJsBudget(limitKb);
      const context = { error: (message: string) => { throw new Error(message); }, info: () => undefined };
      (plugin.generateBundle as (this: unknown, options: unknown, bundle: unknown) => void).call(context, {}, bundle);
    };
    expect(() => run((size - 1) / 1000)).toThrow(/over the .* kB budget/);
    expect(() => run(size / 1000)).not.toThrow();
  });
});
