/** `mtwire diff old.tl new.tl`: constructors and methods added, removed and changed. */
import { describe, expect, test } from 'vitest';
import { cli, writeWorkFile } from './helpers.js';

describe('mtwire diff', () => {
  test('lists added, removed and changed entries with what changed', () => {
    const before = writeWorkFile(
      'before.tl',
      [
        'point#00000001 x:int y:int = Point;',
        'circle#00000002 center:Point r:int = Shape;',
        'gone#00000003 = Shape;',
        '---functions---',
        'area#00000004 shape:Shape = Point;',
        'same#00000005 = Point;',
      ].join('\n'),
    );
    const after = writeWorkFile(
      'after.tl',
      [
        'point#00000011 x:int y:int = Point;',
        'circle#00000002 flags:# center:Point r:long label:flags.0?string = Shape;',
        'square#00000006 side:int = Shape;',
        '---functions---',
        'area#00000004 shape:Shape = Vector<Point>;',
        'same#00000005 = Point;',
      ].join('\n'),
    );
    expect(cli(['diff', before, after])).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        '+ constructor square#00000006 side:int = Shape;',
        '- constructor gone#00000003 = Shape;',
        '~ constructor point: id #00000001 → #00000011',
        '~ constructor circle: field flags added: #; field r: int → long; field label added: flags.0?string',
        '~ method area: result Point → Vector<Point>',
        '1 added, 1 removed, 3 changed',
      ].join('\n'),
    });
  });

  test('the same schema: no differences', () => {
    const tl = writeWorkFile('same.tl', 'point#00000001 x:int = Point;\n');
    expect(cli(['diff', tl, tl])).toEqual({ code: 0, stdout: '0 added, 0 removed, 0 changed', stderr: '' });
  });

  test('reordered fields and a constructor that became a method are reported', () => {
    const before = writeWorkFile('order-before.tl', 'pair#00000001 a:int b:int = Pair;\nping#00000002 = Pong;\n');
    const after = writeWorkFile('order-after.tl', 'pair#00000001 b:int a:int = Pair;\n---functions---\nping#00000002 = Pong;\n');
    expect(cli(['diff', before, after]).stdout.split('\n')).toEqual([
      '+ method ping#00000002 = Pong;',
      '- constructor ping#00000002 = Pong;',
      '~ constructor pair: fields reordered',
      '1 added, 1 removed, 1 changed',
    ]);
  });

  test('a schema error in either file: its position, exit 1', () => {
    const good = writeWorkFile('good.tl', 'point#00000001 x:int = Point;\n');
    const bad = writeWorkFile('bad.tl', 'point#00000001 x:int Point;\n');
    expect(cli(['diff', good, bad])).toEqual({ code: 1, stdout: '', stderr: `mtwire: ${bad}:1:27: expected ':', found ';'` });
  });
});
