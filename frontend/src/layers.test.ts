/// <reference types="node" />
// The import rule that keeps features apart and shared code below them is on: a deliberate cross-layer import
// fails the lint, an allowed one passes, and every folder of src/ belongs to a layer.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

const frontend = path.resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: frontend });
const RULE = 'import-x/no-restricted-paths';

interface Zone {
  target: string | string[];
  from: string | string[];
}

async function zoneErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(frontend, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === RULE).map((m) => m.message);
}

describe('layers of the SPA', () => {
  it('stops a feature from importing another feature', async () => {
    const errors = await zoneErrors(
      'src/finder/Probe.tsx',
      "import { AccountPage } from '../account/AccountPage';\nexport const probe = AccountPage;\n",
    );
    expect(errors).toEqual([expect.stringContaining('"../account/AccountPage" imported in restricted zone')]);
  });

  it('stops shared code from importing a feature', async () => {
    const errors = await zoneErrors(
      'src/components/Probe.tsx',
      "import { useExport } from '../finder/useExport';\nexport const probe = useExport;\n",
    );
    expect(errors).toEqual([expect.stringContaining('"../finder/useExport" imported in restricted zone')]);
  });

  it('keeps the insights page off the Finder: the criteria they share sit below both', async () => {
    const fromInsights = await zoneErrors(
      'src/insights/Probe.tsx',
      "import { useExport } from '../finder/useExport';\nimport { useFinderQuery } from '../criteria/useFinderQuery';\nexport const probe = [useExport, useFinderQuery];\n",
    );
    expect(fromInsights).toEqual([expect.stringContaining('"../finder/useExport" imported in restricted zone')]);
    const fromCriteria = await zoneErrors(
      'src/criteria/Probe.tsx',
      "import { useExport } from '../finder/useExport';\nexport const probe = useExport;\n",
    );
    expect(fromCriteria).toEqual([expect.stringContaining('"../finder/useExport" imported in restricted zone')]);
  });

  it('lets a feature import shared code', async () => {
    // Also shows the imports resolve: an import the resolver cannot find is never reported.
    const errors = await zoneErrors(
      'src/finder/Probe.tsx',
      "import { Pager } from '../components/Pager';\nimport { useSite } from '../session/SiteContext';\nexport const probe = [Pager, useSite];\n",
    );
    expect(errors).toEqual([]);
  });

  it('places every folder of src/ in a layer', async () => {
    const folders = readdirSync(path.join(frontend, 'src'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'test')
      .map((entry) => entry.name);
    const unplaced: string[] = [];
    for (const folder of folders) {
      const config = (await eslint.calculateConfigForFile(path.join(frontend, 'src', folder, 'Probe.tsx'))) as Linter.Config;
      const [, options] = (config.rules?.[RULE] ?? []) as [unknown, { zones: Zone[] }?];
      // A feature or shared folder is a zone's target; the composition is where features may not import from.
      const named = (options?.zones ?? []).flatMap((zone) => [zone.target, zone.from].flat());
      if (!named.includes(`./src/${folder}`)) unplaced.push(folder);
    }
    expect(unplaced).toEqual([]);
  });
});
