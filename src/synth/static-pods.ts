import { ApiObject } from 'cdk8s';

const STATIC = new WeakSet<ApiObject>();

/**
 * Pods the kubelet runs from its manifest directory (static Pods): `synthesize()` writes each to
 * its own file, `static-pods/<name>.yaml`, instead of the chart's file, so a GitOps controller
 * or `kubectl apply -f dist/<env>/` (neither recurses into subdirectories by default) never
 * creates them through the API.
 * @internal
 */
export class StaticPods {
  /** Marks `pod` (a Pod's ApiObject) as a static Pod. */
  public static mark(pod: ApiObject): void {
    STATIC.add(pod);
  }

  /** Whether `obj` was marked as a static Pod. */
  public static isStatic(obj: ApiObject): boolean {
    return STATIC.has(obj);
  }

  /** The folder static Pod files are written to, relative to the output directory. */
  public static readonly FOLDER = 'static-pods';

  private constructor() {}
}
