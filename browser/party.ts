/**
 * One party of the browser test and demo pages: a client over the host's WebSocket (obfuscated unless told
 * otherwise), signed in to the test server as one of its test users, able to place or answer a call. Runs in
 * the page; everything it is given comes from the Node side as plain JSON (bigints as decimal strings).
 */
import { answerNextCall, placeCall, type CallResult } from '../src/calls/call-flow.js';
import { MtprotoClient, type ClientOptions } from '../src/client/index.js';
import { defaultCrypto } from '../src/crypto/default.js';
import { rsaPublicKeyFromPem } from '../src/crypto/rsa-pem.js';
import { Api } from '../src/api/index.js';
import type { Framing } from '../src/transport/framing.js';

/** What the Node side tells a page about the server it started. */
export interface ServerInfo {
  wsUrl: string;
  dcId: number;
  publicKeyPem: string;
  phoneCode: string;
}

export interface ConnectOptions {
  server: ServerInfo;
  /** Default intermediate. */
  framing?: Framing;
  /** obfuscated2 inside the WebSocket (default true); false sends the framing plain, which the test server takes. */
  obfuscated?: boolean;
}

export interface PartyOptions extends ConnectOptions {
  phone: string;
  onStep?: (step: string) => void;
}

/** The user a party calls, as the server's user list gives it. */
export interface Callee {
  id: string;
  accessHash: string;
}

/** What both sides of a call show, comparable across hosts. */
export interface CallSummary {
  fingerprint: string;
  emoji: string[];
}

const CALL_TIMEOUT_MS = 20_000;

export function clientOptions(options: ConnectOptions): ClientOptions {
  return {
    transport: { kind: 'websocket', url: options.server.wsUrl, obfuscated: options.obfuscated ?? true },
    framing: options.framing ?? 'intermediate',
    dcId: options.server.dcId,
    apiId: 1,
    publicKeys: [rsaPublicKeyFromPem(options.server.publicKeyPem)],
    pingIntervalMs: 0,
  };
}

/** Connects (auth-key exchange), then auth.sendCode + auth.signIn with the test server's fixed code. */
export async function signedInParty(options: PartyOptions): Promise<{ client: MtprotoClient; userId: string }> {
  const step = options.onStep ?? (() => undefined);
  const client = new MtprotoClient(clientOptions(options));
  await client.connect();
  step(`auth key ${client.exportSession()!.authKey.slice(0, 16)}…`);
  const phoneNumber = options.phone;
  const sent = await client.invoke(
    new Api.auth.sendCode({ phoneNumber, apiId: 1, apiHash: 'mtwire-browser', settings: new Api.CodeSettings({}) }),
  );
  if (sent._ !== 'auth.sentCode') throw new Error(`auth.sendCode answered ${sent._}`);
  const auth = await client.invoke(
    new Api.auth.signIn({ phoneNumber, phoneCodeHash: sent.phoneCodeHash, phoneCode: options.server.phoneCode }),
  );
  if (auth._ !== 'auth.authorization') throw new Error(`auth.signIn answered ${auth._}`);
  step(`signed in as user ${auth.user.id}`);
  return { client, userId: String(auth.user.id) };
}

export function summarize(result: CallResult): CallSummary {
  return { fingerprint: BigInt.asUintN(64, result.callKey.fingerprint).toString(16).padStart(16, '0'), emoji: [...result.callKey.emojis] };
}

export async function call(client: MtprotoClient, callee: Callee, onStep?: (step: string) => void): Promise<CallSummary> {
  const user = new Api.InputUser({ userId: BigInt(callee.id), accessHash: BigInt(callee.accessHash) });
  return summarize(await placeCall(client, user, { crypto: defaultCrypto(), timeoutMs: CALL_TIMEOUT_MS, video: true, onStep }));
}

export async function answer(client: MtprotoClient, onStep?: (step: string) => void): Promise<CallSummary> {
  return summarize(await answerNextCall(client, { crypto: defaultCrypto(), timeoutMs: CALL_TIMEOUT_MS, onStep }));
}
