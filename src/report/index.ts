export * from './report';
export type { ReportSection } from './html';
export type { EdgeStatus, TrafficEdge, TrafficGraph, TrafficNode } from './graph';
export { trafficGraph, toDot } from './graph';
export type { ModelOptions, NamespaceFacts, ReportModel } from './model';
export { graphKey, reportModel } from './model';
