// The linter is installed apart, in tools/lint/ (see its package.json for why); its config lives there.
export { default } from './tools/lint/eslint.config.js';
