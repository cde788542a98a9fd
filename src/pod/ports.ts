import * as kplus from 'cdk8s-plus-28';
import { Rules } from '../rules/catalog';
import { Reporter } from '../rules/finding';
import { portNameProblem, portNumberProblem } from '../validation/names';
import { checkEnum } from '../validation/props';
import { DeclaredPort } from './probe';

/** A port a container listens on besides the main one, e.g. for metrics. */
export interface ExtraPort {
  /** Port name (IANA service name, at most 15 characters), e.g. "metrics". */
  readonly name: string;
  /** Port number, 1–65535. */
  readonly port: number;
  /**
   * Protocol.
   * @default kplus.Protocol.TCP
   */
  readonly protocol?: kplus.Protocol;
  /**
   * Also expose the port on the Service (and allow it in the NetworkPolicy's ingress).
   * @default true
   */
  readonly expose?: boolean;
}

/** A validated container port. */
export interface ResolvedPort extends DeclaredPort {
  readonly protocol: kplus.Protocol;
  readonly expose: boolean;
  /** The container declaring it. */
  readonly container: string;
}

/** A port as declared by one container, with the prop that declared it. */
export interface PortDeclaration {
  /** Prop path, e.g. `extraPorts[0]` or `sidecars[1].ports[0]`. */
  readonly field: string;
  /** Whether `field` is the port number itself (the main `port` prop) rather than an object. */
  readonly bare?: boolean;
  readonly container: string;
  readonly spec: ExtraPort;
}

/** The name of the main serving port. */
export const MAIN_PORT_NAME = 'http';

/**
 * Validates the ports of all containers of one Pod together: numbers in range, IANA names, and
 * no number (per protocol) or name declared twice, since the containers share one network
 * namespace.
 */
export function resolvePorts(declarations: readonly PortDeclaration[], collector: Reporter): ResolvedPort[] {
  const out: ResolvedPort[] = [];
  const byNumber = new Map<string, string>();
  const byName = new Map<string, string>();
  for (const { field, bare, container, spec } of declarations) {
    if (spec === null || typeof spec !== 'object') {
      collector.report(Rules.PORT_INVALID, field, spec, 'must be an object with "name" and "port"');
      continue;
    }
    const numberField = bare ? field : `${field}.port`;
    const numberProblem = portNumberProblem(spec.port);
    if (numberProblem) collector.report(Rules.PORT_INVALID, numberField, spec.port, numberProblem);
    const nameProblem = portNameProblem(spec.name);
    if (nameProblem) collector.report(Rules.PORT_INVALID, `${field}.name`, spec.name, nameProblem);
    const protocol = spec.protocol ?? kplus.Protocol.TCP;
    checkEnum(collector, `${field}.protocol`, spec.protocol, kplus.Protocol);
    const numberKey = `${spec.port}/${protocol}`;
    const clash = byNumber.get(numberKey);
    if (clash !== undefined) {
      collector.report(Rules.PORT_DUPLICATE, numberField, spec.port, `port ${numberKey} is already declared by ${clash}`);
    }
    const nameClash = byName.get(spec.name);
    if (nameClash !== undefined) {
      collector.report(Rules.PORT_DUPLICATE, `${field}.name`, spec.name, `the name is already used by ${nameClash}`);
    }
    byNumber.set(numberKey, field);
    byName.set(spec.name, field);
    out.push({ name: spec.name, number: spec.port, protocol, expose: spec.expose ?? true, container });
  }
  return out;
}
