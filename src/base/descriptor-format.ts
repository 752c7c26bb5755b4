/**
 * The text format of a TL descriptor: the reflection data (ids, names, fields, flags, types) that the
 * generator emits as `descriptor.ts` beside each module set, so that JSON conversion and arbitraries
 * never parse TL text at run time. Its writer (codegen/emit-descriptor.ts) and its reader
 * (tl/descriptor.ts) may not import each other, so the format's marks live here, below both.
 *
 * ```
 * mtwire-descriptor 1                                   the header: format and version
 * Bool InputPeer ...                                    every boxed type, space-separated; index = position
 * inputPeerUser#dde8a54c 1 userId:l accessHash:l        a constructor: name[#id][{X,Y}] typeIndex field...
 * mt_message 7 msgId:l seqno:i bytes:i body:O           (no id: a constructor only used bare)
 * -                                                     the constructors end, the methods start
 * invokeWithLayer#da9b0d0d{X} !X layer:i query:!X       a method: name#id[{X,Y}] resultType field...
 * ```
 *
 * A field is `prop:#` (a flags field), `prop:T`, or `prop:flags.N?T` (present when bit N of the flags
 * field `flags` is set), with `prop` the TypeScript property name. A type `T` is a leaf code
 * (`LEAF_CODES`), a decimal index into the type line (a boxed type), `*T` (`Vector<T>`), `~T` (bare
 * `vector<T>`), `%name` (a bare constructor) or `!X` (the generic `X`).
 */

export const DESCRIPTOR_HEADER = 'mtwire-descriptor 1';

/** One character for each type that needs no schema to be understood; none of them is a digit. */
export const LEAF_CODES = {
  int: 'i',
  long: 'l',
  double: 'd',
  string: 's',
  bytes: 'b',
  int128: 'q',
  int256: 'w',
  Bool: 'B',
  true: 't',
  /** `Object`: any boxed constructor of the schema. */
  object: 'O',
} as const;

export type LeafKind = keyof typeof LEAF_CODES;

export const DESCRIPTOR_MARKS = {
  /** Between an entry's name and its id. */
  id: '#',
  /** Opens and closes an entry's generics (`{X,Y}`), which `,` separates. */
  genericsOpen: '{',
  genericsClose: '}',
  /** Between a field's property name and its type. */
  prop: ':',
  /** The type of a flags field (`flags:#`). */
  flags: '#',
  /** Between a conditional field's flags field and bit, and before its type (`flags.3?i`). */
  bit: '.',
  condition: '?',
  boxedVector: '*',
  bareVector: '~',
  bareConstructor: '%',
  generic: '!',
  /** The line between the constructors and the methods. */
  methods: '-',
} as const;
