import { audit } from '../src';
import { parseManifests } from '../src/manifests/load';

/**
 * `<Kind>List` documents (ConfigMapList, RoleList, RoleBindingList, …) are applied by kubectl
 * item by item, as `kind: List` is: the audit judges the items, attributed to the list's file and
 * line, and never the list itself.
 */

const roleList = `# typed list
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleList
items:
  - apiVersion: rbac.authorization.k8s.io/v1
    kind: Role
    metadata: {name: writer, namespace: a}
    rules: [{apiGroups: [''], resources: [secrets], verbs: [update]}]
  - metadata: {name: lister, namespace: a}
    rules: [{apiGroups: [''], resources: [secrets], verbs: [list]}]
`;

test('the items of a RoleList are audited, with the list\'s file and line; the list is not an object of its own', () => {
  const { inputs, problems } = parseManifests('roles.yaml', roleList);
  expect(problems).toEqual([]);
  expect(inputs.map(i => [(i.object as { kind: string }).kind, i.file, i.line])).toEqual([['Role', 'roles.yaml', 2], ['Role', 'roles.yaml', 2]]);
  const found = audit(inputs).filter(f => f.severity === 'error');
  expect(found.map(f => `${f.rule.id} ${f.object}`)).toEqual(['SW-RBAC-001 Role/a/writer', 'SW-RBAC-001 Role/a/lister']);
  expect(found.map(f => f.rule.id)).not.toContain('SW-NAME-001');
});

test('an item with neither apiVersion nor kind takes the list\'s, as kubectl decodes it', () => {
  const { inputs } = parseManifests('roles.yaml', roleList);
  expect(inputs[1].object).toEqual({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'lister', namespace: 'a' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }] });
});

test('a ConfigMapList holding a password is reported on the ConfigMap', () => {
  const text = 'apiVersion: v1\nkind: ConfigMapList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: db, namespace: a}\n  data: {DB_PASSWORD: hunter2hunter2}\n';
  const found = audit(parseManifests('cm.yaml', text).inputs).filter(f => f.severity === 'error');
  expect(found.map(f => `${f.rule.id} ${f.object} ${f.file}:${f.line}`)).toEqual(['SW-SECRET-002 ConfigMap/a/db cm.yaml:1']);
});

test('a kind ending in "List" without items is an object like any other', () => {
  const { inputs, problems } = parseManifests('x.yaml', 'apiVersion: example.com/v1\nkind: AllowList\nmetadata: {name: x, namespace: a}\nspec: {}\n');
  expect(problems).toEqual([]);
  expect(inputs.map(i => (i.object as { kind: string }).kind)).toEqual(['AllowList']);
});

test('an item of a typed list that is not an object is reported, the others audited', () => {
  const { inputs, problems } = parseManifests('x.yaml', 'apiVersion: v1\nkind: ConfigMapList\nitems: [42, {apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: a}}]\n');
  expect(problems.map(p => p.message)).toEqual(['items[0] of a ConfigMapList is not an object']);
  expect(inputs).toHaveLength(1);
});
