export { loadDocument, loadDocumentLazily } from './load-document.js';
export { settle } from './loaded-document.js';
export type { LoadOptions } from './load-document.js';
export type { LoadedDocument, OpenApiDocument } from './loaded-document.js';
