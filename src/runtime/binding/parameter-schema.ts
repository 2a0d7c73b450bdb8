/** A cmdlet's parameters by key, and the TypeScript types they give its signature and its body's values. */
import type { AnyParameter, Parameter } from './parameter.ts';

export type ParameterSchema = Readonly<Record<string, AnyParameter>>;

type ValueOf<P> = P extends Parameter<infer T, unknown, boolean, string> ? T : never;
type InputOf<P> = P extends Parameter<unknown, infer I, boolean, string> ? I : never;
type AliasesOf<P> = P extends Parameter<unknown, unknown, boolean, infer A> ? A : never;

/** Mandatory in TypeScript only when it has no alias: `text` may stand in for Write-KrTextResponse's `inputObject`. */
export type RequiredKeys<S extends ParameterSchema> = {
  [K in keyof S]: S[K] extends Parameter<unknown, unknown, true, never> ? K : never;
}[keyof S];

/** What a script passes: Kestrun's parameter names in camelCase, plus their aliases. */
export type CmdletInput<S extends ParameterSchema> = { [K in RequiredKeys<S>]: InputOf<S[K]> } & {
  [K in Exclude<keyof S, RequiredKeys<S>>]?: InputOf<S[K]> | undefined;
} & { [K in keyof S as AliasesOf<S[K]>]?: InputOf<S[K]> | undefined };

export type BoundValues<S extends ParameterSchema> = {
  [K in keyof S as S[K] extends Parameter<unknown, unknown, true, string> ? K : never]: ValueOf<S[K]>;
} & { [K in keyof S as S[K] extends Parameter<unknown, unknown, true, string> ? never : K]?: ValueOf<S[K]> };
