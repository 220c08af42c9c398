// The lint rules, kept small: each one catches a bug class this codebase can have, none is style
// (prettier owns formatting). Run through `npm run lint` (tools/lint/run.js installs this folder).
import tseslint from 'typescript-eslint';

const ROOT = new URL('../..', import.meta.url).pathname;
const typeScript = ['**/*.ts'];
const javaScript = ['**/*.js', '**/*.mjs'];

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'dist/**', '.cache/**', 'tools/**', 'test/**/fixtures/**'] },
  {
    files: [...typeScript, ...javaScript],
    languageOptions: { parser: tseslint.parser, sourceType: 'module' },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `==` coerces: a token or header compared with == can match what it should not (null checks excepted).
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Dead names hide mistakes (a computed value never used); `_name` marks a deliberately unused one.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // `any` switches the checker off where hostile input flows; use `unknown` and narrow. Tests may poke into JSON.
    files: ['src/**', 'templates/**', 'scripts/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  {
    files: typeScript,
    languageOptions: {
      parserOptions: {
        // src, test and templates/runtime: the files of the repository's tsconfig.json.
        projectService: true,
        tsconfigRootDir: ROOT,
      },
    },
    rules: {
      // An unawaited promise loses its rejection: an unhandled rejection, or a test that passes before it ran.
      '@typescript-eslint/no-floating-promises': 'error',
      // An async function where a void callback is expected (event handler, forEach) drops its rejection.
      '@typescript-eslint/no-misused-promises': 'error',
      // `await` on a non-promise is a sign the author thought something was async that is not.
      '@typescript-eslint/await-thenable': 'error',
      // Type-only imports are erased, so they cannot pull a module (and its start-up cost, issue 8) in at run
      // time; `import('x').T` in an annotation is erased too, so it stays allowed.
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'separate-type-imports', disallowTypeAnnotations: false },
      ],
      // An assertion the checker does not need hides the real type when the code around it changes.
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
    },
  },
  {
    // scripts/ is compiled by `npm run bench` through its own tsconfig, which the project service does not look for.
    files: ['scripts/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: false, project: './tsconfig.bench.json', tsconfigRootDir: ROOT },
    },
  },
);
