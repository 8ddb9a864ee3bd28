// Lint rules after temporalio/samples-typescript: workflow code must stay deterministic,
// and no promise may float anywhere.
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', 'dist/**', 'eslint.config.mjs'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The lesson contract is imported by workflow code too: it must bundle into the sandbox.
    files: ['src/lessons/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Workflows import the lesson contract.' })),
          patterns: [
            {
              group: ['../services/*', '../db/*', '../api/*', '../workflows/*'],
              message: 'The contract depends on nothing above it.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'Workflow code runs in a sandbox: no Node built-ins.',
          })),
          patterns: [
            {
              group: ['@temporalio/workflow'],
              importNames: ['patched', 'deprecatePatch'],
              message: 'Ask for patches through isPatched (src/workflows/patches.ts), which lists them all.',
            },
            {
              group: ['../activities/*', '../activities'],
              allowTypeImports: true,
              message: 'Import activities by type only.',
            },
            {
              group: ['../providers/*', '../services/*', '../db/*', '../api/*'],
              message: 'Workflows call activities; they do not do I/O.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use a loop with sleep().' },
        {
          name: 'process',
          message: 'Workflow code cannot read the environment: pass configuration in the input.',
        },
        { name: 'fetch', message: 'Do I/O in activities.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'crypto', property: 'randomUUID', message: 'Use uuid4() from @temporalio/workflow.' },
      ],
    },
  },
  // The one file that calls patched() and deprecatePatch().
  {
    files: ['src/workflows/patches.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
