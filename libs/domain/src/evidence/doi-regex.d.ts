/** doi-regex ships no types; this is the part of its API we call (it returns a fresh RegExp each time). */
declare module 'doi-regex' {
  interface Options {
    /** Anchored at both ends: the whole string must be a DOI. */
    exact?: boolean;
  }
  function doiRegex(options?: Options): RegExp;
  export = doiRegex;
}
