import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listFiles } from '../../src/codegen/generate.js';
import { generateService, SERVICE_OUT_DIR } from '../../src/codegen/build-library.js';
import { MTPROXY_TLS_TEMPLATES } from '../schema-helpers.js';
import { Api as Service, LAYER } from '../../src/generated/service/index.js';
import { Api } from '../../src/api/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('generated service module (mtproto.tl + service.tl)', () => {
  const fresh = generateService(root);

  test('the build output equals a fresh generation, file for file', () => {
    const outDir = join(root, SERVICE_OUT_DIR);
    expect(listFiles(outDir).sort()).toEqual([...fresh.files.keys()].sort());
    for (const [path, content] of fresh.files) expect(readFileSync(join(outDir, path), 'utf8'), path).toBe(content);
  });

  test('only the MTProxy fake-TLS templates are left out: they have no constructor ids and never travel as TL', () => {
    expect(fresh.skipped.map((s) => s.name)).toEqual(MTPROXY_TLS_TEMPLATES);
  });

  test('no layer number, and no api.tl entry in the registry', () => {
    expect(LAYER).toBeUndefined();
    const registry = readFileSync(join(root, SERVICE_OUT_DIR, 'registry.ts'), 'utf8');
    for (const name of ['inputUser', 'updateShort', 'phone.phoneCall', 'help.getConfig']) expect(registry).not.toContain(`'${name}'`);
  });

  test('service constructors have the same ids, binary fields and wire form as in the full API', () => {
    expect(Service.RpcResult.id).toBe(Api.RpcResult.id);
    expect(Service.MsgsStateInfo.id).toBe(Api.MsgsStateInfo.id);
    const info = { _: 'msgs_state_info', reqMsgId: 5n, info: Uint8Array.of(1, 2, 4) } as const;
    expect(Service.MsgsStateInfo.encode(info)).toEqual(Api.MsgsStateInfo.encode(info));
    const pong = Service.Pong.encode({ _: 'pong', msgId: 1n, pingId: 2n });
    expect(Api.Pong.decode(pong)).toEqual(Service.Pong.decode(pong));
  });
});
