export * from './model';
export * from './analysis';
export * from './render';
