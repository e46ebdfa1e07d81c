import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const pureLayers = [
  'src/aws',
  'src/ssm',
  'src/ssh',
  'src/bootstrap',
  'src/diagnose',
  'src/proxy',
  'src/cli',
  'src/model',
  'src/connect',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '**/*.d.ts'] },
  js.configs.recommended,
  {
    files: ['**/*.mjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' },
    },
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: pureLayers.map((dir) => `${dir}/**/*.ts`),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'Pure layers must not import vscode.' }],
        },
      ],
    },
  },
  {
    files: ['test/emulator/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'The emulator is plain Node test support.' }] },
      ],
    },
  },
);
