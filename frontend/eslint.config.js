// Lint rules: typescript-eslint (type-aware), React hooks and jsx-a11y for every source file, and the layers of src/.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

// The layers of src/, each folder in exactly one (src/layers.test.ts fails on a folder left out):
// features are the screens, and none imports another; shared pieces sit below them and import no feature;
// the composition (routes, providers, the signed-in frame) puts features together.
const FEATURES = ['account', 'admin', 'auth', 'finder', 'imports', 'insights', 'interaction-form', 'interaction-history'];
// criteria/ is the search, filters and their URL state that the Finder and the insights page share.
const SHARED = ['api', 'components', 'criteria', 'lib', 'session', 'shortcuts', 'config.ts'];
const COMPOSITION = ['app', 'App.tsx', 'main.tsx'];
const src = (name) => `./src/${name}`;

const layerZones = [
  ...FEATURES.map((feature) => ({
    target: src(feature),
    from: [...FEATURES.filter((other) => other !== feature), ...COMPOSITION].map(src),
    message: 'Features do not import one another or the composition: move the shared piece to api/, components/, criteria/, lib/, session/ or shortcuts/.',
  })),
  {
    target: SHARED.map(src),
    from: [...FEATURES, ...COMPOSITION].map(src),
    message: 'Shared code (api/, components/, criteria/, lib/, session/) imports no feature: move the piece it needs down.',
  },
];

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report'] },
  {
    files: ['**/*.{ts,tsx}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended, jsxA11y.flatConfigs.recommended],
    languageOptions: { ecmaVersion: 2022, globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // No React Compiler here; TanStack Table's hook is fine without compiler memoisation.
      'react-hooks/incompatible-library': 'off',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    // Tests may put features together (the field list's test renders the Finder and the form).
    ignores: ['src/**/*.test.{ts,tsx}', 'src/test/**'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: import.meta.dirname })] },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: layerZones }],
    },
  },
  {
    files: ['eslint.config.js'],
    languageOptions: { globals: globals.node },
  },
);
