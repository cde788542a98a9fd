import { createHash } from 'crypto';
import { digestOf } from '../src/audit/audit-memo';

/** The digest of one object of group "1.35". */
const digest = (json: unknown, group = '1.35') => digestOf([{ group, json }]);

describe('digestOf(): the memo of the manifest audit reuses it only for the same rendering', () => {
  test.each([
    ['equal nested objects', { a: 1, b: [{ c: 'x' }, null] }, { a: 1, b: [{ c: 'x' }, null] }],
    ['empty object and array', { a: {}, b: [] }, { a: {}, b: [] }],
  ])('%s have the same digest', (_, a, b) => {
    expect(digest(a)).toEqual(digest(b));
  });

  test.each([
    ['another value', { a: 1 }, { a: 2 }],
    ['a number and its string', { a: 1 }, { a: '1' }],
    ['the same keys in another order (the output differs)', { a: 1, b: 2 }, { b: 2, a: 1 }],
    ['a key more', { a: 1 }, { a: 1, b: 2 }],
    ['an array and an object with index keys', [1], { 0: 1 }],
    ['arrays of different lengths', [1, 2], [1]],
    ['a nested difference', { a: { b: [{ c: true }] } }, { a: { b: [{ c: false }] } }],
  ])('%s have different digests', (_, a, b) => {
    expect(digest(a)).not.toEqual(digest(b));
  });

  test.each([
    ['NaN', { a: Number.NaN }],
    ['Infinity', { a: Number.POSITIVE_INFINITY }],
    ['-0', { a: -0 }],
    ['an undefined value', { a: 1, b: undefined }],
    ['undefined in an array', [1, undefined]],
    ['an array hole', [1, , 3]],
    ['a Date', { a: new Date(0) }],
    ['a function', { a: () => 1 }],
  ])('%s, which JSON text would not hold exactly, has no digest (the objects are audited afresh)', (_, json) => {
    expect(digest(json)).toBeUndefined();
    expect(digest({ ok: [1, 'x', true, null, { n: 0 }] })).toEqual(expect.any(String));
  });

  test('the deploy group and the order of the objects count', () => {
    expect(digest({ a: 1 }, '1.35')).not.toEqual(digest({ a: 1 }, '1.34'));
    expect(digestOf([{ group: 'g', json: { a: 1 } }, { group: 'g', json: { b: 1 } }])).not.toEqual(digestOf([{ group: 'g', json: { b: 1 } }, { group: 'g', json: { a: 1 } }]));
  });

  test('is the SHA-256 of the JSON text of all [group, object] pairs, though hashed object by object', () => {
    // Objects enough for several chunks of the incremental hash (about 1 MiB of text each).
    const objects = Array.from({ length: 5000 }, (_, i) => ({ group: i % 7 === 0 ? '1.34' : '1.35', json: { kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { text: 'x'.repeat(i % 900) } } }));
    const whole = createHash('sha256').update(JSON.stringify(objects.map(o => [o.group, o.json]))).digest('base64');
    expect(JSON.stringify(objects).length).toBeGreaterThan(2 ** 21);
    expect(digestOf(objects)).toEqual(whole);
    expect(digestOf([])).toEqual(createHash('sha256').update('[]').digest('base64'));
  });
});
