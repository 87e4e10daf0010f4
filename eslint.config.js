import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from './eslint.globals.js';
import { layerRules } from './eslint.layers.js';

export default tseslint.config(
  { ignores: ['**/.puppeteerrc.cjs', 'dist/', '.tmp/', 'node_modules/', 'bench/node_modules/', 'coverage/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...layerRules(),
);
