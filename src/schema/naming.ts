/**
 * One naming scheme, used by the emitter, the JSON converter and the arbitraries alike:
 * - fields: snake_case → camelCase (`user_id` → `userId`, `g_a_hash` → `gAHash`, `udp_p2p` → `udpP2p`);
 * - constructors: PascalCase of the last name segment (`inputUser` → `InputUser`, `phone.phoneCall` →
 *   `phone.PhoneCall`, `p_q_inner_data_dc` → `PQInnerDataDc`): values you build with `new`;
 * - methods: camelCase as in the schema (`phone.requestCall` → `phone.requestCall`, `req_pq_multi` →
 *   `reqPqMulti`): calls you build with `new` and pass to `invoke`;
 * - boxed types: `Type` + PascalCase (`InputUser` → `TypeInputUser`, `phone.PhoneCall` → `phone.TypePhoneCall`),
 *   the union of their constructors.
 * A constructor's value is also the type of its objects, so `Api.InputUser` both builds and types one.
 */

/** `user_id` → `userId`; a name without underscores is returned unchanged. */
export function camelCase(name: string): string {
  return name.replace(/_([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function pascalCase(name: string): string {
  const camel = camelCase(name);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}

/** Splits `phone.requestCall` into `['phone', 'requestCall']`, and `inputUser` into `['', 'inputUser']`. */
export function splitName(full: string): [namespace: string, name: string] {
  const dot = full.lastIndexOf('.');
  return dot < 0 ? ['', full] : [full.slice(0, dot), full.slice(dot + 1)];
}

/** The exported identifier of a constructor within its namespace module. */
export function constructorIdent(full: string): string {
  return pascalCase(splitName(full)[1]);
}

/** The exported identifier of a method within its namespace module. */
export function methodIdent(full: string): string {
  return camelCase(splitName(full)[1]);
}

/** The exported identifier of a boxed type's union within its namespace module. */
export function typeIdent(full: string): string {
  return 'Type' + pascalCase(splitName(full)[1]);
}

/** A TL name made safe for a generated function name: `phone.phoneCall` → `phone$phoneCall`. */
export function mangle(full: string): string {
  return full.replace(/\./g, '$');
}

/** The path of an exported identifier as seen through the root namespace: `phone.PhoneCall`. */
export function qualified(full: string, ident: string): string {
  const ns = splitName(full)[0];
  return ns ? `${ns}.${ident}` : ident;
}

/** How an id is written in the schema: `42ff96ed`. */
export function idHex(id: number): string {
  return (id >>> 0).toString(16).padStart(8, '0');
}

/** How an id is laid on the wire (little-endian): `ed 96 ff 42`. */
export function idWireBytes(id: number): string {
  const hex = idHex(id);
  return [hex.slice(6, 8), hex.slice(4, 6), hex.slice(2, 4), hex.slice(0, 2)].join(' ');
}
