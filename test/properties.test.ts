import { Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { audit, frontDoors, KubernetesTarget, Severity } from '../src';
import { parseManifests } from '../src/manifests/load';
import { Feature } from '../src/target/capabilities';
import { hasZeroDefaults } from '../src/target/zero-defaults';
import { appArb, synthApp } from './support/app-arbitraries';
import { schemaErrors } from './support/k8s-schema';
import { podSpecOf, pssRestrictedViolations, qosOf } from './support/pod-checks';

/**
 * Property-based tests: for every generated valid app, synthesis succeeds, objects pass the
 * strict schema, Pods are Guaranteed and PSS restricted, the audit finds no error, output is
 * deterministic and independent of the construct tree, and it survives YAML 1.1 parsing.
 * FC_RUNS (default 200) sets the runs per property; a failure prints its seed and path, and
 * FC_SEED=<seed> FC_PATH=<path> replays it.
 */
const params: fc.Parameters<unknown> = {
  numRuns: Number(process.env.FC_RUNS ?? 200),
  seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined,
  path: process.env.FC_PATH,
  endOnFailure: true,
};

describe('properties of every generated app', () => {
  test('synthesizes valid, Guaranteed, PSS-restricted objects whose selectors, ports, PDBs and policies line up', () => {
    fc.assert(fc.property(appArb, spec => {
      const { objects } = synthApp(spec);
      expect(schemaErrors(objects, spec.target)).toEqual([]);
      // From 1.29 without the zero values the API server drops (env literals of "" are drawn).
      if (KubernetesTarget.version(spec.target).has(Feature.OMIT_ZERO_DEFAULTS)) expect(objects.filter(o => hasZeroDefaults(o)).map(o => `${o.kind}/${o.metadata.name}`)).toEqual([]);
      for (const o of objects) {
        const pod = podSpecOf(o);
        if (!pod) continue;
        expect(qosOf(pod)).toBe('Guaranteed');
        expect(pssRestrictedViolations(pod)).toEqual([]);
      }
      const errors = audit(objects.map(object => ({ object })), { kubernetesVersion: spec.target }).filter(f => f.severity === Severity.ERROR);
      expect(errors.map(f => f.message)).toEqual([]);
    }), params);
  });

  test('every front door (HTTPRoute, GRPCRoute, Ingress) reaches its Pods: Service, port, readiness and NetworkPolicy path', () => {
    fc.assert(fc.property(appArb, spec => {
      const { objects } = synthApp(spec);
      const published = spec.workloads.filter(w => w.kind === 'web' && w.front).length;
      const doors = frontDoors(objects);
      expect(doors).toHaveLength(published);
      expect(doors.filter(d => !d.reachable || d.backends.length === 0).map(d => [d.ref, d.backends.flatMap(b => b.issues.map(i => i.problem))])).toEqual([]);
    }), params);
  });

  test('is deterministic and independent of where the constructs sit in the tree', () => {
    fc.assert(fc.property(appArb, spec => {
      const first = synthApp(spec).yaml;
      expect(synthApp(spec).yaml).toBe(first);
      expect(synthApp(spec, true).yaml).toBe(first);
    }), params);
  });

  test('reads back unchanged with YAML 1.1 semantics, as kubectl parses it', () => {
    fc.assert(fc.property(appArb, spec => {
      const { objects, yaml } = synthApp(spec);
      const { inputs, problems } = parseManifests('gen.yaml', yaml);
      expect(problems).toEqual([]);
      expect(inputs.map(i => i.object)).toEqual(JSON.parse(JSON.stringify(objects)));
      expect(Yaml.stringify(...objects)).toBe(yaml);
    }), params);
  });
});
