import { Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { stringifyDocument, stringifyManifests } from '../src/synth/yaml-emitter';
import { newChart } from './support/synth';
import { Env, WebService } from '../src';
import { apiProps } from './support/props';

/**
 * The emitter must be byte-identical to cdk8s's Yaml.stringify for every input: checked
 * differentially on generated JSON-shaped documents full of YAML-significant strings, and
 * shown to take its own path (not yaml's) for ordinary manifests.
 */
const params: fc.Parameters<unknown> = {
  numRuns: Number(process.env.FC_RUNS ?? 200) * 5,
  seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined,
  path: process.env.FC_PATH,
  endOnFailure: true,
};

const SIGNIFICANT = [
  '', ' ', 'yes', 'No', 'ON', 'off', 'y', 'N', 'true', 'False', '~', 'null', 'NULL', '0755', '0o17', '0x1F', '0b101', '08', '1e3', '-1.5', '.5', '1_000',
  '.inf', '-.Inf', '.nan', '12:30', '190:20:30.15', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '<<', '=', '-', '?', '- a', '? a', ':', 'a:', 'a: b', 'a:b',
  '#', 'a #b', 'a#b', '*', '&a', '!tag', '|', '>', "'", '"', "it's", 'say "hi"', 'both \' and "', '%x', '@x', '`x', '[a]', '{a}', 'a,b', ' lead', 'trail ',
  'tab\there', '\t', 'ü', '日本', '\u2028', '\x85', '\x00', '\x7f', '\ud800', 'a\\nb', '\\',
  'app.kubernetes.io/name', 'ghcr.io/acme/web:1.2.3', '250m', '512Mi', 'RuntimeDefault', 'x'.repeat(1100),
];

// Strings yaml renders depending on indentation (multi-line, document markers): the emitter
// hands their documents to yaml whole; rarer, so most documents exercise the emitter itself.
const HANDED_OVER = ['---', '--- x', '...', '....', 'a\nb', 'a\n', '\n', ' \n x', 'x\n\n y '];

const stringArb = fc.oneof(
  { arbitrary: fc.constantFrom(...SIGNIFICANT), weight: 40 },
  { arbitrary: fc.constantFrom(...HANDED_OVER), weight: 1 },
  { arbitrary: fc.string({ maxLength: 8 }), weight: 40 },
  { arbitrary: fc.string({ unit: fc.constantFrom(...' -?:#,[]{}&*!|>\'"%@`\t.0123456789abeEnoxyYtT_~+'.split('')), maxLength: 8 }), weight: 40 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }), weight: 40 },
);

// yaml renders an empty key as an explicit `? ` key, which the emitter hands over whole; the
// fixed cases below cover it, so generated keys are non-empty to keep most documents on our path.
const keyArb = stringArb.filter(s => s !== '');

const scalarArb = fc.oneof(
  { arbitrary: stringArb, weight: 40 },
  { arbitrary: fc.integer(), weight: 12 },
  { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }), weight: 12 },
  { arbitrary: fc.constantFrom(0, -0, 1e21, 2 ** 53, 0.1, -1e-7), weight: 8 },
  // yaml writes .inf and .nan; the emitter hands such documents over.
  { arbitrary: fc.constantFrom(Infinity, -Infinity, NaN), weight: 1 },
  { arbitrary: fc.boolean(), weight: 8 },
  { arbitrary: fc.constant(null), weight: 8 },
  { arbitrary: fc.constant(undefined), weight: 1 },
);

const { value: valueArb } = fc.letrec<{ value: unknown }>(tie => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarArb,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(keyArb, tie('value'), { maxKeys: 5 }),
  ),
}));

const docArb = fc.dictionary(keyArb, valueArb, { maxKeys: 6 });

describe('stringifyDocument', () => {
  test('is byte-identical to cdk8s Yaml.stringify on generated documents', () => {
    const spy = jest.spyOn(Yaml, 'stringify');
    let documents = 0;
    let handedToYaml = 0;
    try {
      fc.assert(fc.property(docArb, doc => {
        spy.mockClear();
        const ours = stringifyDocument(doc);
        documents++;
        if (spy.mock.calls.some(call => call[0] === doc)) handedToYaml++;
        return ours === Yaml.stringify(doc);
      }), params);
    } finally {
      spy.mockRestore();
    }
    // The comparison means something only if most documents took the emitter's own path.
    expect(handedToYaml / documents).toBeLessThan(0.5);
  });

  test('is byte-identical for documents yaml renders with anchors, and for non-map documents', () => {
    const shared = { a: 1 };
    const docs: unknown[] = [{ x: shared, y: shared }, { x: [shared, shared] }, 'text', 42, null, [1, 2], { d: new Date(0) }, { m: new Map([['k', 'v']]) }, {}, { '': 1 }];
    for (const doc of docs) expect(stringifyDocument(doc)).toBe(Yaml.stringify(doc));
  });

  test('joins documents as cdk8s does, undefined included', () => {
    const docs = [{ a: 1 }, undefined, { b: 'multi\nline' }, { c: [] }];
    expect(stringifyManifests(...docs)).toBe(Yaml.stringify(...docs));
  });

  test('steps aside, whole, if the installed cdk8s renders its probe document differently', async () => {
    await jest.isolateModulesAsync(async () => {
      const cdk8s = await import('cdk8s');
      const changed = jest.spyOn(cdk8s.Yaml, 'stringify').mockImplementation(() => 'rendered by cdk8s\n');
      try {
        const emitter = await import('../src/synth/yaml-emitter');
        expect(emitter.stringifyDocument({ a: 1, b: ['x'] })).toBe('rendered by cdk8s\n');
      } finally {
        changed.mockRestore();
      }
    });
  });

  test('renders real manifests without calling yaml once its strings are known', () => {
    const { chart } = newChart();
    new WebService(chart, 'web', apiProps({ name: 'web', env: { FLAG: Env.value('yes'), PORT: Env.value('8080') } }));
    const objects = chart.toJson();
    const expected = Yaml.stringify(...objects);
    expect(stringifyManifests(...objects)).toBe(expected);
    const spy = jest.spyOn(Yaml, 'stringify');
    try {
      expect(stringifyManifests(...objects)).toBe(expected);
      expect(spy).not.toHaveBeenCalled();
      stringifyManifests({ data: { 'nginx.conf': 'server {\n}\n' } });
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });
});
