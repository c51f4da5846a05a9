// The SSRF-safe outbound HTTP client and the shared politeness of outbound requests.
