/**
 * ioredis, for every module of ours that uses its values, loaded without the cost it leaves behind.
 *
 * ioredis's RESP3 decoder declares `class VerbatimString extends String`. Making String.prototype the prototype of a
 * new class puts it in dictionary mode, and V8 only turns a prototype back into a fast object when a property load
 * through an inline cache starts at an object whose prototype chain holds it. Loads on string primitives never do.
 * Until then, optimized code cannot inline a string method load (`path.charCodeAt`, `value.slice`) and calls the
 * generic load IC instead, in every function of the process: Node's HTTP internals, Hono and ours.
 */
import { Cluster, Command, Redis } from 'ioredis';

/**
 * Loads a String.prototype method through a String wrapper object, from a function run often enough that V8 gives it
 * an inline cache: the first such load makes String.prototype fast again. V8 gives a function its feedback after
 * about ten calls; the margin costs microseconds, once.
 */
function restoreFastStringPrototype(): void {
  const wrapper: object = Object('');
  const loadMethod = (target: object): unknown => (target as { readonly charCodeAt?: unknown }).charCodeAt;
  for (let call = 0; call < 1_000; call++) loadMethod(wrapper);
}

restoreFastStringPrototype();

export { Cluster, Command, Redis };
