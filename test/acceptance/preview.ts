/** The one place the suite gets its XML from: the library's own preview renderer. */
export { renderStack } from '../../src/preview';
export type { PreviewDocument } from '../../src/preview';
