import { sameJson } from '../src/audit/audit-memo';

describe('sameJson(): the memo of the manifest audit reuses it only for equal renderings', () => {
  test.each([
    ['equal nested objects', { a: 1, b: [{ c: 'x' }, null] }, { a: 1, b: [{ c: 'x' }, null] }],
    ['NaN', { a: Number.NaN }, { a: Number.NaN }],
    ['empty object and array', { a: {}, b: [] }, { a: {}, b: [] }],
  ])('%s are the same', (_, a, b) => {
    expect(sameJson(a, b)).toBe(true);
  });

  test.each([
    ['another value', { a: 1 }, { a: 2 }],
    ['a number and its string', { a: 1 }, { a: '1' }],
    ['the same keys in another order (the output differs)', { a: 1, b: 2 }, { b: 2, a: 1 }],
    ['a key more', { a: 1 }, { a: 1, b: undefined }],
    ['an array and an object with index keys', [1], { 0: 1 }],
    ['arrays of different lengths', [1, 2], [1]],
    ['null and an empty object', { a: null }, { a: {} }],
    ['a nested difference', { a: { b: [{ c: true }] } }, { a: { b: [{ c: false }] } }],
  ])('%s differ', (_, a, b) => {
    expect(sameJson(a, b)).toBe(false);
  });
});
