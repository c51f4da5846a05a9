// The SSRF-safe outbound HTTP client and the shared politeness of outbound requests.
export * from './address';
export * from './safe-http';
export * from './failure';
export * from './host-limiter';
export * from './result-cache';
