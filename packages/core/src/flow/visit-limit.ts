/**
 * How many node visits the interpreter allows one call by default before it
 * hangs up: a backstop against loops that validation cannot see as endless
 * (an announcement whose file is missing returns at once).
 */
export const DEFAULT_MAX_NODE_VISITS = 200;
