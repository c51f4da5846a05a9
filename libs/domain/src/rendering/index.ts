/**
 * The one rendering of article text, shared by the server (publishing, sanitize-html) and the web
 * app (editor preview, review workspace, DOMPurify). Pure and browser-safe: no Node built-ins.
 */
export * from './allow-list';
export * from './markdown';
