// Stands in for `server-only` in tests: the real package throws outside Next's server bundle.
export {};
