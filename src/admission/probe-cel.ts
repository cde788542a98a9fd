import { orElse, present } from './cel';

/**
 * The probe rules in CEL, over one container `c`, read as the audit reads them
 * (src/rules/families/probes.ts `identicalProbes`, `longInitialDelayProblem`; the port check of
 * src/audit/checks/pod.ts). Each looks through the container's ports at most once per port it
 * compares, so the cost stays linear in ports × containers.
 */

const PORTS = orElse('c.ports', '[]');

/** Whether the container declares a port named `name` (a CEL expression, kept out of the loop over the ports). */
function declaresName(name: string): string {
  return `${name} in ${PORTS}.map(d, has(d.name) ? d.name : '')`;
}

/** The port a probe checks, as the audit's port check reads it: HTTP, else TCP, else gRPC; -1 when none. */
function portOf(probe: string): string {
  return `(${present(`${probe}.httpGet.port`)} ? ${probe}.httpGet.port : ${present(`${probe}.tcpSocket.port`)} ? ${probe}.tcpSocket.port : ${present(`${probe}.grpc.port`)} ? ${probe}.grpc.port : -1)`;
}

/** SW-PROBE-003: every probe port given by name is a port name the container declares (a number need not be declared). */
export const NAMED_PORTS_DECLARED = ['readinessProbe', 'livenessProbe', 'startupProbe']
  .map(p => `(!has(c.${p}) || type(${portOf(`c.${p}`)}) != string || ${declaresName(portOf(`c.${p}`))})`).join(' && ');

/** SW-PROBE-007: no liveness initialDelaySeconds above 30 without a startup probe. */
export const LONG_INITIAL_DELAY_OK = `!has(c.livenessProbe) || has(c.startupProbe) || ${orElse('c.livenessProbe.initialDelaySeconds', '0')} <= 30`;

/** Consecutive failures before `probe` gives up (Kubernetes' default: 3). */
function failureThreshold(probe: string): string {
  return `(has(${probe}.failureThreshold) && ${probe}.failureThreshold > 0 ? ${probe}.failureThreshold : 3)`;
}

/** The port of the handler that decides what `probe` checks (the first present of HTTP, TCP, gRPC); -1 when it has none. */
function handlerPort(probe: string): string {
  const port = (h: string) => `(has(${probe}.${h}.port) ? ${probe}.${h}.port : -1)`;
  return `(has(${probe}.httpGet) ? ${port('httpGet')} : has(${probe}.tcpSocket) ? ${port('tcpSocket')} : has(${probe}.grpc) ? ${port('grpc')} : -1)`;
}

/**
 * Ports `x` and `y` (CEL expressions) reach the same port once names are resolved to the numbers
 * the container declares for them. Two different names are taken as different ports (the API
 * server refuses duplicate names; two names on one number differ only by protocol).
 */
function samePort(x: string, y: string): string {
  // "name=number" of every declared port, so that `x` and `y` stay out of the loop over the ports.
  const pairs = `${PORTS}.map(d, (has(d.name) ? d.name : '') + '=' + (has(d.containerPort) ? string(d.containerPort) : ''))`;
  const pair = `(type(${x}) == string ? ${x} + '=' + string(${y}) : ${y} + '=' + string(${x}))`;
  return `(${x} == ${y} || ((type(${x}) == string) != (type(${y}) == string) && ${pair} in ${pairs}))`;
}

/** Probes `a` and `b` (CEL paths) run the same check: handler, port (names resolved), host, scheme, path, headers, service, command. */
function sameHandler(a: string, b: string): string {
  const same = (field: string, fallback: string) => `${orElse(`${a}.${field}`, fallback)} == ${orElse(`${b}.${field}`, fallback)}`;
  const http = [same('httpGet.scheme', "'HTTP'"), same('httpGet.host', "''"), same('httpGet.path', "'/'"), same('httpGet.httpHeaders', '[]')];
  // The first handler present decides, as `describeProbeHandler` reads a probe.
  const kind = `(has(${a}.httpGet) ? has(${b}.httpGet) && ${http.join(' && ')}`
    + ` : has(${a}.tcpSocket) ? !has(${b}.httpGet) && has(${b}.tcpSocket) && ${same('tcpSocket.host', "''")}`
    + ` : has(${a}.grpc) ? !has(${b}.httpGet) && !has(${b}.tcpSocket) && has(${b}.grpc) && ${same('grpc.service', "''")}`
    + ` : !has(${b}.httpGet) && !has(${b}.tcpSocket) && !has(${b}.grpc) && ${same('exec.command', '[]')})`;
  return `(${kind} && ${samePort(handlerPort(a), handlerPort(b))})`;
}

/**
 * Liveness runs exactly readiness's check, and gives up no later than readiness (the documented
 * exception: liveness with the larger failureThreshold, so a busy Pod leaves rotation first).
 */
export function probesIdentical(): string {
  const l = 'c.livenessProbe';
  const r = 'c.readinessProbe';
  return `(has(${r}) && has(${l}) && ${failureThreshold(l)} <= ${failureThreshold(r)} && ${sameHandler(l, r)})`;
}

/** Whether the liveness probe connects over TCP (SW-PROBE-008 rather than SW-PROBE-002). */
export const tcpLiveness = 'has(c.livenessProbe) && has(c.livenessProbe.tcpSocket)';
