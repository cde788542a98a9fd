import { audit, Findings, PostStart, Probe, Severity, WebService } from '../src';
import { shellScriptArgsProblem } from '../src/rules/families/containers';
import { apiProps } from './support/props';
import { newChart } from './support/synth';

/** SW-CONTAINER-002: "sh -c" followed by arguments the script never reads (the notes' broken `test -e` probe; issue 27, item 5). */

describe('the predicate', () => {
  test('a command line split into words after -c: the script is the first word only', () => {
    expect(shellScriptArgsProblem(['sh', '-c', 'test', '-e', '/tmp/ready'])).toBe('"sh -c" runs only "test" as its script; "-e" ($0), "/tmp/ready" ($1) become its positional parameters, which it never reads, so "test" runs without them');
    expect(shellScriptArgsProblem(['/bin/bash', '-ec', 'cat', '/tmp/healthy'])).toMatch(/^"\/bin\/bash -ec" runs only "cat" as its script; "\/tmp\/healthy" \(\$0\)/);
    expect(shellScriptArgsProblem(['sh', '-c', '--', 'test', '-e', '/tmp/ready'])).toMatch(/runs only "test"/);
    // A whole script followed by two or more arguments it does not read.
    expect(shellScriptArgsProblem(['sh', '-c', 'pg_isready -U app', 'postgres', '-h', 'localhost'])).toMatch(/runs only "pg_isready -U app" as its script; "postgres" \(\$0\), "-h" \(\$1\), "localhost" \(\$2\)/);
  });

  test('correct forms are left alone', () => {
    for (const line of [
      ['sh', '-c', 'test -e /tmp/ready'],
      ['test', '-e', '/tmp/ready'],
      ['sh', '-c', 'echo "$1"', 'sh', 'hello'], // reads $1
      ['bash', '-c', 'exec "$@"', '--', '/app/server', '--port', '8080'], // reads "$@"
      ['sh', '-c', 'for f; do cat "$f"; done', 'sh', 'a', 'b'], // for without in loops over them
      ['sh', '-c', 'shift; exec app', 'x', 'y'],
      ['sh', '-c', 'exec /app/server --port 8080', 'server'], // one argument: the usual name for $0
      ['/bin/bash', '-o', 'pipefail', '-c', 'curl -fs localhost:8080/healthz | grep ok'],
      ['python3', '-c', 'print(1)', 'x', 'y'], // not a shell
      ['sh', 'script.sh', 'a', 'b'], // no -c
      ['sh', '-c'],
    ]) expect([line, shellScriptArgsProblem(line)]).toEqual([line, undefined]);
  });
});

describe('constructs', () => {
  test('a probe, the command line (command and args together) and a hook, each a warning at its prop', () => {
    const { app, chart } = newChart('shop');
    const web = new WebService(chart, 'api', apiProps({
      liveness: Probe.exec(['sh', '-c', 'test', '-e', '/tmp/ready']),
      command: ['sh', '-c'], args: ['exec', '/app/server', '--port', '8080'],
      postStart: PostStart.exec(['sh', '-c', 'touch', '/tmp/started']),
    }));
    const found = Findings.of(web).filter(f => f.rule.id === 'SW-CONTAINER-002');
    expect(found.map(f => [f.field, f.severity])).toEqual([
      ['command', Severity.WARNING],
      ['liveness.command', Severity.WARNING],
      ['postStart.command', Severity.WARNING],
    ]);
    expect(found[1].message).toContain('"sh -c" runs only "test" as its script; "-e" ($0), "/tmp/ready" ($1) become its positional parameters, which it never reads, so "test" runs without them: the probe never checks what it reads as');
    // The audit of the rendered objects finds the same ones and adds nothing.
    expect(Findings.of(app).filter(f => f.rule.id === 'SW-CONTAINER-002')).toHaveLength(3);
  });

  test('the written-out forms are clean', () => {
    const { chart } = newChart('shop');
    const web = new WebService(chart, 'api', apiProps({ liveness: Probe.exec(['sh', '-c', 'test -e /tmp/ready']), command: ['/app/server', '--port', '8080'] }));
    expect(Findings.of(web).filter(f => f.rule.id === 'SW-CONTAINER-002')).toEqual([]);
  });
});

test('the audit: probes, init containers and hooks of any YAML', () => {
  const deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' },
    spec: {
      selector: { matchLabels: { app: 'd' } },
      template: {
        metadata: { labels: { app: 'd' } },
        spec: {
          initContainers: [{ name: 'wait', image: 'busybox:1.36', command: ['sh', '-c', 'until', 'nslookup', 'db;', 'do', 'sleep', '2;', 'done'] }],
          containers: [{
            name: 'c', image: 'a:1',
            readinessProbe: { exec: { command: ['sh', '-c', 'test', '-e', '/tmp/ready'] } },
            lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', 'sleep', '5'] } } },
          }],
        },
      },
    },
  };
  const found = audit([{ object: deployment }]).filter(f => f.rule.id === 'SW-CONTAINER-002');
  expect(found.map(f => [f.field, f.severity]).sort()).toEqual([
    ['spec.template.spec.containers[0].lifecycle.preStop.exec.command', Severity.WARNING],
    ['spec.template.spec.containers[0].readinessProbe.exec.command', Severity.WARNING],
    ['spec.template.spec.initContainers[0].command', Severity.WARNING],
  ]);
});
