// Checks and copies of JSON values, shared by every part of the local API.

export const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
// A wrapper, not structuredClone itself: `.map(clone)` would pass the index as structuredClone's options.
export const clone = (v) => structuredClone(v);
