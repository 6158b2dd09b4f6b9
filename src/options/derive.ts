import type { OptionSpec } from './options.js'

/**
 * Input types derived from a spec table declared `as const satisfies readonly OptionSpec[]`, so that the
 * compiler knows exactly the names and settings the resolver accepts: a typo, a wrong value type or a
 * missing required option fails `tsc`. Kinds whose TypeScript type a spec cannot carry (objects,
 * functions) take their type from `Exact`; so do deprecated names, which need their own `@deprecated` JSDoc.
 */
export type InputOf<Specs extends readonly OptionSpec[], Exact extends object = {}, Loose extends boolean = false> =
  Typed<Specs[number], Exact, Loose> & Exact & Settings<Specs[number], Exact>

/** Every camelCase name in a spec table. */
export type NameOf<Specs extends readonly OptionSpec[]> = Specs[number]['name']

// A Conduit undotted setting (skipSnapshot) is both a name and a setting: its string form is accepted too.
type Undotted<S extends OptionSpec, T> = S extends { setting: S['name'] } ? (S['kind'] extends 'bool' ? T | 'true' | 'false' : T | string) : T

interface KindInput {
  string: string
  int: number
  number: number
  bool: boolean
  duration: number | string
  enum: string
  object: object
  json: object
  function: (...args: never[]) => unknown
}

// The destination documents "numbers may also be given as strings"; the readers' typed names take numbers only.
type Loosened<K, T, Loose> = Loose extends true ? (K extends 'int' | 'number' | 'bool' ? T | string : T) : T

type ValueOf<S extends OptionSpec, Loose> = Undotted<S, S extends { kind: 'enum', values: ReadonlyArray<infer V> } ? V : Loosened<S['kind'], KindInput[S['kind']], Loose>>

type RequiredSpec<S> = S extends { required: true } ? S : never

type Typed<S extends OptionSpec, Exact, Loose> =
  { [P in Exclude<S, RequiredSpec<S>> as P['name'] extends keyof Exact ? never : P['name']]?: ValueOf<P, Loose> } &
  { [P in RequiredSpec<S> as P['name'] extends keyof Exact ? never : P['name']]: ValueOf<P, Loose> } &
  { [P in S as Former<P> extends keyof Exact ? never : Former<P>]?: ValueOf<P, Loose> }

type Former<S> = S extends { deprecated: ReadonlyArray<infer D extends string> } ? D : never

// Conduit's settings keys ("snapshot.segments"), each a string as Conduit passes it.
type Settings<S extends OptionSpec, Exact> = { [P in S as P['setting'] extends string ? (P['setting'] extends P['name'] | keyof Exact ? never : P['setting']) : never]?: string }

/** The specs without the named ones, keeping their literal types (Array.filter would widen them). */
export function withoutSpecs<S extends readonly OptionSpec[], N extends NameOf<S>> (specs: S, names: readonly N[]): ReadonlyArray<Exclude<S[number], { name: N }>> {
  return specs.filter((s): s is Exclude<S[number], { name: N }> => !(names as readonly string[]).includes(s.name))
}

/** Only the named specs, keeping their literal types. */
export function onlySpecs<S extends readonly OptionSpec[], N extends NameOf<S>> (specs: S, names: readonly N[]): ReadonlyArray<Extract<S[number], { name: N }>> {
  return specs.filter((s): s is Extract<S[number], { name: N }> => (names as readonly string[]).includes(s.name))
}
