export { loadDocument } from './load-document.js';
export type { LoadOptions } from './load-document.js';
export type { LoadedDocument, OpenApiDocument } from './loaded-document.js';
