// Kubernetes 1.28 L1 classes.
//
// `cdk8s import k8s@1.28.0` cannot download its schema on machines without GitHub access, and
// cdk8s-plus-28 already ships exactly the module that command generates. Re-exporting it keeps a
// single copy of every class (so `instanceof` and jsii type identity hold across both layers).
export * from 'cdk8s-plus-28/lib/imports/k8s';
